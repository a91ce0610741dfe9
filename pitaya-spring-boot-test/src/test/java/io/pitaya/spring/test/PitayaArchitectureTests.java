package io.pitaya.spring.test;

import java.util.Map;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.pitaya.spring.internal.session.SessionRegistry;
import io.pitaya.spring.session.Session;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PitayaArchitectureTests {

    /** Game code that reaches into the server's machinery. */
    static class UsesInternals {
        int online(SessionRegistry sessions) {
            return sessions.count();
        }
    }

    /** Game code written against the API. */
    static class UsesApi {
        void greet(Session session) {
            session.push("onGreeting", Map.of("text", "hello"));
        }
    }

    @Test
    void gameCodeThatUsesInternalsIsRejectedWithTheClassItUses() {
        assertThatThrownBy(() -> PitayaArchitecture.gameCodeUsesOnlyPitayaApi().check(new ClassFileImporter().importClasses(UsesInternals.class)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("SessionRegistry");
    }

    @Test
    void gameCodeOnTheApiPasses() {
        assertThatCode(() -> PitayaArchitecture.gameCodeUsesOnlyPitayaApi().check(new ClassFileImporter().importClasses(UsesApi.class)))
                .doesNotThrowAnyException();
    }
}
