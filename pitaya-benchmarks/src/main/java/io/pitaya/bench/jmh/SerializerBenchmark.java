package io.pitaya.bench.jmh;

import java.util.concurrent.TimeUnit;

import io.pitaya.protocol.proto.PitayaProto.Request;
import io.pitaya.serialize.JsonSerializer;
import io.pitaya.serialize.ProtobufSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The serializers: JSON (Jackson) of a record, the typical client payload; and a forwarded pitaya
 * Request as protobuf binary and as protobuf's canonical JSON (what the JSON serializer does with
 * protobuf messages).
 *
 * <pre>
 * java -jar pitaya-benchmarks/target/pitaya-benchmarks-jmh.jar SerializerBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SerializerBenchmark {

    private final JsonSerializer json = new JsonSerializer();
    private final ProtobufSerializer protobuf = new ProtobufSerializer();
    private TypicalMessages.ChatMessage chat;
    private Request request;
    private byte[] chatJson;
    private byte[] requestJson;
    private byte[] requestProtobuf;

    @Setup
    public void setUp() {
        chat = TypicalMessages.chatMessage();
        request = TypicalMessages.forwardedRequest();
        chatJson = json.marshal(chat);
        requestJson = json.marshal(request);
        requestProtobuf = protobuf.marshal(request);
    }

    @Benchmark
    public byte[] jsonMarshalRecord() {
        return json.marshal(chat);
    }

    @Benchmark
    public Object jsonUnmarshalRecord() {
        return json.unmarshal(chatJson, TypicalMessages.ChatMessage.class);
    }

    @Benchmark
    public byte[] jsonMarshalProto() {
        return json.marshal(request);
    }

    @Benchmark
    public Object jsonUnmarshalProto() {
        return json.unmarshal(requestJson, Request.class);
    }

    @Benchmark
    public byte[] protobufMarshal() {
        return protobuf.marshal(request);
    }

    @Benchmark
    public Object protobufUnmarshal() {
        return protobuf.unmarshal(requestProtobuf, Request.class);
    }
}
