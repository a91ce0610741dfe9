package io.pitaya.spring.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/** The standalone test server with default limits; one context shared by the classes that use it. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "pitaya.server.type=game",
        "pitaya.acceptor.tcp.port=0",
        "pitaya.route-dictionary[game.echo.echo]=1",
        "pitaya.route-dictionary[onTold]=2",
        "pitaya.session.kick-route=onKick"
})
public @interface StandaloneGameServerTest {
}
