package io.pitaya.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.pitaya.protocol.HandshakeResponse;
import io.pitaya.protocol.MessageCodec;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.RouteDictionary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** Starts a {@link ScriptedServer} per test and closes the clients a test built. */
abstract class ScriptedServerTest {

    static final Map<String, Integer> DICT = Map.of("room.room.join", 1, "room.room.onMessage", 2);
    static final HandshakeResponse ACCEPTED = new HandshakeResponse(200, Duration.ofSeconds(30), DICT, "json");
    /** How the scripted server reads and writes messages: the same dictionary it announces. */
    static final MessageCodec SERVER_CODEC = new MessageCodec(RouteDictionary.of(DICT), false, Packet.MAX_BODY_LENGTH);

    static EventLoopGroup serverGroup;

    ScriptedServer server;
    private final List<PitayaClient> clients = new ArrayList<>();

    @BeforeAll
    static void startGroup() {
        serverGroup = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopGroup() {
        serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void closeAll() {
        clients.forEach(PitayaClient::close);
        if (server != null) {
            server.close();
        }
    }

    ScriptedServer start(ScriptedServer.Transport transport) {
        server = ScriptedServer.start(serverGroup, transport);
        return server;
    }

    PitayaClient track(PitayaClient client) {
        clients.add(client);
        return client;
    }
}
