package io.pitaya.bench.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.pitaya.protocol.Message;
import io.pitaya.protocol.MessageCodec;
import io.pitaya.protocol.Packet;
import io.pitaya.protocol.PacketDecoder;
import io.pitaya.protocol.PacketType;
import io.pitaya.protocol.ProtocolException;
import io.pitaya.protocol.RouteDictionary;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The message and packet codec on typical game messages: a Request with a text route and a JSON
 * body, its Response, and the packet framing around them, with and without zlib bodies.
 *
 * <pre>
 * java -jar pitaya-benchmarks/target/pitaya-benchmarks-jmh.jar CodecBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

    private static final String ROUTE = "room.room.message";

    /** Body size in bytes: a small chat line and a larger state update. */
    @Param({"64", "1024"})
    public int bodySize;

    /** Whether bodies are zlib-deflated on encode (flag 0x10) and inflated on decode. */
    @Param({"false", "true"})
    public boolean zlib;

    private MessageCodec codec;
    private byte[] body;
    private Message request;
    private Message response;
    private byte[] encodedRequest;
    private byte[] encodedResponse;
    private byte[] requestPacket;
    private PacketDecoder packetDecoder;
    private long id;

    @Setup
    public void setUp() {
        codec = new MessageCodec(RouteDictionary.empty(), zlib, Packet.MAX_BODY_LENGTH);
        body = TypicalMessages.jsonBody(bodySize);
        request = Message.request(1234, ROUTE, body);
        response = Message.response(1234, body);
        encodedRequest = codec.encode(request);
        encodedResponse = codec.encode(response);
        requestPacket = Packet.encode(PacketType.DATA, encodedRequest);
        packetDecoder = new PacketDecoder(Packet.MAX_BODY_LENGTH);
    }

    @Benchmark
    public byte[] encodeRequest() {
        return codec.encode(Message.request(++id, ROUTE, body));
    }

    @Benchmark
    public Message decodeRequest() throws ProtocolException {
        return codec.decode(encodedRequest);
    }

    @Benchmark
    public byte[] encodeResponsePacket() {
        return Packet.encode(PacketType.DATA, codec.encode(Message.response(++id, body)));
    }

    @Benchmark
    public Message decodeResponse() throws ProtocolException {
        return codec.decode(encodedResponse);
    }

    /** Framing and message decoding together: what a server does with each Request packet read. */
    @Benchmark
    public Message decodeRequestPacket() throws ProtocolException {
        List<Packet> packets = packetDecoder.decode(requestPacket);
        return codec.decode(packets.get(0).body());
    }
}
