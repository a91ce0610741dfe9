package io.pitaya.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.TestPropertySource;

/**
 * Starts the game's pitaya server for a test class, the whole Spring Boot application, with every acceptor on a free
 * port, and injects connected clients into test methods and constructors:
 *
 * <pre>
 * &#64;PitayaTest
 * class RoomTest {
 *
 *     &#64;Test
 *     void aMessageReachesEveryoneInTheRoom(PitayaClient alice, PitayaClient bob) throws Exception {
 *         alice.request("room.join", Map.of(), Map.class).get(5, SECONDS);
 *         ...
 *     }
 * }
 * </pre>
 *
 * Each {@link io.pitaya.client.PitayaClient} parameter is a client of its own, handshaken over TCP; a
 * {@link PitayaClients} parameter opens more (WebSocket too, or with other settings). All are closed after the test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {"pitaya.acceptor.tcp.port=0", "pitaya.acceptor.websocket.port=0"})
@ExtendWith(PitayaClientsExtension.class)
public @interface PitayaTest {

    /** @return the application's configuration classes, as {@link SpringBootTest#classes()} (found by default) */
    @AliasFor(annotation = SpringBootTest.class, attribute = "classes")
    Class<?>[] classes() default {};

    /** @return more properties, "key=value", as {@link SpringBootTest#properties()} */
    @AliasFor(annotation = SpringBootTest.class, attribute = "properties")
    String[] properties() default {};
}
