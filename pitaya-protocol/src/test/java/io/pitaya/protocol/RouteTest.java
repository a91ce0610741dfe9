package io.pitaya.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouteTest {

    @Test
    void twoPartsUseTheDefaultServerType() throws ProtocolException {
        Route route = Route.parse("room.join", "connector");
        assertThat(route).isEqualTo(new Route("connector", "room", "join"));
        assertThat(route.serverType()).isEqualTo("connector");
        assertThat(route.component()).isEqualTo("room");
        assertThat(route.method()).isEqualTo("join");
        assertThat(route.shortName()).isEqualTo("room.join");
        assertThat(route).hasToString("connector.room.join");
    }

    @Test
    void threePartsNameTheServerType() throws ProtocolException {
        Route route = Route.parse("chat.room.send", "connector");
        assertThat(route).isEqualTo(new Route("chat", "room", "send"));
        assertThat(route.shortName()).isEqualTo("room.send");
        assertThat(route).hasToString("chat.room.send");
    }

    @Test
    void routesAreCaseSensitive() throws ProtocolException {
        assertThat(Route.parse("Chat.Room.Send", "x")).isEqualTo(new Route("Chat", "Room", "Send"))
                .isNotEqualTo(Route.parse("chat.room.send", "x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "room", "a.b.c.d", "a.b.c.d.e", ".", "..", "...", ".join", "room.", "a..c", ".b.c", "a.b.",
            "room..join", "sys.a.b.c"})
    void badRoutesAreRefused(String text) {
        assertThatThrownBy(() -> Route.parse(text, "connector")).isInstanceOf(ProtocolException.class);
    }

    @Test
    void nullRouteIsRefused() {
        assertThatThrownBy(() -> Route.parse(null, "connector")).isInstanceOf(ProtocolException.class);
    }

    @Test
    void twoPartsWithoutADefaultServerTypeAreRefused() throws ProtocolException {
        assertThatThrownBy(() -> Route.parse("room.join", null)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> Route.parse("room.join", "")).isInstanceOf(ProtocolException.class);
        // three parts do not need it
        assertThat(Route.parse("chat.room.join", null)).isEqualTo(new Route("chat", "room", "join"));
    }

    // ---- RouteDictionary -------------------------------------------------------------------------

    @Test
    void dictionaryLooksUpBothWays() {
        RouteDictionary dict = RouteDictionary.of(Map.of("room.join", 1, "chat.room.send", 0xFFFF));
        assertThat(dict.code("room.join")).isEqualTo(1);
        assertThat(dict.code("chat.room.send")).isEqualTo(0xFFFF);
        assertThat(dict.code("room.leave")).isEqualTo(-1);
        assertThat(dict.route(1)).isEqualTo("room.join");
        assertThat(dict.route(0xFFFF)).isEqualTo("chat.room.send");
        assertThat(dict.route(0)).isNull();
        assertThat(dict.route(2)).isNull();
        assertThat(dict.route(-1)).isNull();
        assertThat(dict.route(0x10000)).isNull();
        assertThat(dict.asMap()).isEqualTo(Map.of("room.join", 1, "chat.room.send", 0xFFFF));
        assertThat(dict.isEmpty()).isFalse();
    }

    @Test
    void dictionaryIsImmutable() {
        Map<String, Integer> source = new HashMap<>(Map.of("a", 1));
        RouteDictionary dict = RouteDictionary.of(source);
        source.put("b", 2);
        assertThat(dict.code("b")).isEqualTo(-1);
        assertThatThrownBy(() -> dict.asMap().put("c", 3)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void emptyDictionary() {
        assertThat(RouteDictionary.of(null).isEmpty()).isTrue();
        assertThat(RouteDictionary.of(Map.of())).isSameAs(RouteDictionary.empty());
        assertThat(RouteDictionary.empty().code("a")).isEqualTo(-1);
        assertThat(RouteDictionary.empty().route(1)).isNull();
        assertThat(RouteDictionary.empty().asMap()).isEmpty();
    }

    @Test
    void dictionaryRefusesBadCodes() {
        assertThatThrownBy(() -> RouteDictionary.of(Map.of("a", 0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RouteDictionary.of(Map.of("a", -1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RouteDictionary.of(Map.of("a", 0x10000))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RouteDictionary.of(Map.of("a", 5, "b", 5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("share code 5");
    }

    @Test
    void codecUsesItsDictionary() {
        RouteDictionary dict = RouteDictionary.of(Map.of("a", 1));
        assertThat(new MessageCodec(dict, false, 10).dictionary()).isSameAs(dict);
        assertThat(new MessageCodec(null, false, 10).dictionary().isEmpty()).isTrue();
        assertThat(new MessageCodec().dictionary().isEmpty()).isTrue();
    }
}
