package io.pitaya.bench.abuse;

import java.util.Arrays;
import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebSocketFramesTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4, 125, 126, 65_535, 65_536, 70_001})
    void aClientFrameIsMaskedAndDecodesBackToItsPayload(int size) {
        Random random = new Random(size);
        byte[] payload = new byte[size];
        random.nextBytes(payload);

        byte[] frame = WebSocketFrames.clientFrame(WebSocketFrames.BINARY, payload, random);

        int lengthBytes = size < 126 ? 0 : size <= 65_535 ? 2 : 8;
        int headerLength = 2 + lengthBytes + 4;
        assertThat(frame).hasSize(headerLength + size);
        assertThat(frame[0] & 0xFF).as("FIN and binary opcode").isEqualTo(0x82);
        assertThat(frame[1] & 0x80).as("mask bit").isEqualTo(0x80);
        assertThat(frame[1] & 0x7F).isEqualTo(lengthBytes == 0 ? size : lengthBytes == 2 ? 126 : 127);
        byte[] key = Arrays.copyOfRange(frame, headerLength - 4, headerLength);
        for (int i = 0; i < size; i++) {
            assertThat(frame[headerLength + i]).isEqualTo((byte) (payload[i] ^ key[i & 3]));
        }

        WebSocketFrames.Frame decoded = WebSocketFrames.decode(frame, 0, frame.length);
        assertThat(decoded).isNotNull();
        assertThat(decoded.fin()).isTrue();
        assertThat(decoded.opcode()).isEqualTo(WebSocketFrames.BINARY);
        assertThat(decoded.masked()).isTrue();
        assertThat(decoded.payload()).isEqualTo(payload);
        assertThat(decoded.consumed()).isEqualTo(frame.length);
        assertThat(WebSocketFrames.decode(frame, 0, frame.length - 1)).as("one byte short").isNull();
    }

    @Test
    void nettysServerSideDecoderReadsOurFramesAsTheSamePayload() {
        Random random = new Random(7);
        byte[] small = "pitaya".getBytes();
        byte[] large = new byte[70_000];
        random.nextBytes(large);
        EmbeddedChannel server = new EmbeddedChannel(new WebSocket08FrameDecoder(true, false, 1 << 20));

        server.writeInbound(Unpooled.wrappedBuffer(WebSocketFrames.clientFrame(WebSocketFrames.BINARY, small, random)));
        server.writeInbound(Unpooled.wrappedBuffer(WebSocketFrames.clientFrame(WebSocketFrames.BINARY, large, random)));

        assertThat(contentOf(server.readInbound())).isEqualTo(small);
        assertThat(contentOf(server.readInbound())).isEqualTo(large);
        server.finishAndReleaseAll();
    }

    @Test
    void anUnmaskedServerFrameDecodesToo() {
        byte[] frame = WebSocketFrames.frame(true, WebSocketFrames.CLOSE, 0, new byte[] {0x03, (byte) 0xE8}, null);

        assertThat(frame).containsExactly(0x88, 0x02, 0x03, 0xE8);
        WebSocketFrames.Frame decoded = WebSocketFrames.decode(frame, 0, frame.length);
        assertThat(decoded.masked()).isFalse();
        assertThat(decoded.opcode()).isEqualTo(WebSocketFrames.CLOSE);
    }

    @Test
    void theAcceptValueIsTheOneOfRfc6455() {
        assertThat(WebSocketFrames.acceptFor("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    private static byte[] contentOf(Object frame) {
        assertThat(frame).isInstanceOf(BinaryWebSocketFrame.class);
        ByteBuf content = ((BinaryWebSocketFrame) frame).content();
        byte[] bytes = ByteBufUtil.getBytes(content);
        ((BinaryWebSocketFrame) frame).release();
        return bytes;
    }
}
