package io.pitaya.spring.internal.component;

import java.util.Map;

import io.pitaya.spring.component.NamingStrategy;
import io.pitaya.spring.component.PitayaMethod;
import io.pitaya.spring.session.Session;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanNameAware;

import static org.assertj.core.api.Assertions.assertThat;

/** Which methods of a component become routes: exposed on purpose, never by accident. */
class MethodRegistryTests {

    /** A library's base class: its public helpers are not the game's routes. */
    public abstract static class BaseComponent {

        public String helper(Map<String, Object> anything) {
            return "helper";
        }

        @PitayaMethod
        public String ping() {
            return "pong";
        }
    }

    /** A game's interface with a default method. */
    public interface Greeter {
        default String greet() {
            return "hi";
        }
    }

    public static class Room extends BaseComponent implements Greeter, BeanNameAware {

        private String name = "";

        public String join(Session session, Map<String, Object> body) {
            return "joined";
        }

        public String getName() {
            return name;
        }

        @PitayaMethod("leave")
        public String quit(Session session) {
            return "left";
        }

        @Override
        public void setBeanName(String beanName) {
            this.name = beanName;
        }

        @Override
        public String toString() {
            return "room";
        }

        protected String notPublic() {
            return "";
        }
    }

    @Test
    void publicMethodsOfTheComponentsOwnClassAreRoutesAsInPitaya() {
        HandlerRegistry handlers = new HandlerRegistry(NamingStrategy.AS_WRITTEN);
        handlers.register("room", new Room());

        assertThat(handlers.all()).extracting(HandlerMethod::name)
                .containsExactlyInAnyOrder("room.join", "room.getName", "room.leave", "room.ping");
    }

    @Test
    void inheritedObjectAndFrameworkMethodsAreNeverRoutesUnlessAnnotated() {
        HandlerRegistry handlers = new HandlerRegistry(NamingStrategy.AS_WRITTEN);
        handlers.register("room", new Room());

        assertThat(handlers.find("room.helper")).as("a base class's public helper").isNull();
        assertThat(handlers.find("room.greet")).as("an interface's default method").isNull();
        assertThat(handlers.find("room.setBeanName")).as("Spring's callback").isNull();
        assertThat(handlers.find("room.toString")).as("Object's").isNull();
        assertThat(handlers.find("room.notPublic")).isNull();
        assertThat(handlers.find("room.ping")).as("inherited but annotated: on purpose").isNotNull();
    }

    @Test
    void inStrictModeOnlyAnnotatedMethodsAreRoutes() {
        HandlerRegistry handlers = new HandlerRegistry(NamingStrategy.AS_WRITTEN, true);
        handlers.register("room", new Room());

        assertThat(handlers.all()).extracting(HandlerMethod::name).containsExactlyInAnyOrder("room.leave", "room.ping");
    }

    @Test
    void remotesFollowTheSameRules() {
        RemoteRegistry remotes = new RemoteRegistry(NamingStrategy.AS_WRITTEN);
        remotes.register("shop", new BaseComponent() {
            public String buy(Map<String, Object> item) {
                return "bought";
            }
        });

        assertThat(remotes.all()).extracting(HandlerMethod::name).containsExactlyInAnyOrder("shop.buy", "shop.ping");
    }
}
