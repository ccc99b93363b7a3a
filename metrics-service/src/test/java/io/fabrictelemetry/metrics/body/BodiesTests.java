package io.fabrictelemetry.metrics.body;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class BodiesTests {

    @Test
    void directSinkThatOutgrowsItsEstimateKeepsEveryByteInOrder() {
        Bodies.DirectSink sink = new Bodies.DirectSink(64);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            String piece = "cell-" + i + ",";
            expected.append(piece);
            byte[] bytes = piece.getBytes(StandardCharsets.US_ASCII);
            sink.write(bytes, 0, bytes.length);
            sink.write('|');
            expected.append('|');
        }
        ByteBuffer body = sink.toReadOnlyBuffer();
        assertThat(body.isDirect()).isTrue();
        assertThat(new String(Bodies.toArray(body), StandardCharsets.US_ASCII)).isEqualTo(expected.toString());
    }

    @Test
    void directSinkFarLargerThanItsContentIsTrimmedToTheExactSize() {
        Bodies.DirectSink sink = new Bodies.DirectSink(1 << 20);
        sink.write(new byte[] {'{', '}'}, 0, 2);
        ByteBuffer body = sink.toReadOnlyBuffer();
        assertThat(body.remaining()).isEqualTo(2);
        assertThat(body.capacity()).isEqualTo(2);
        assertThat(body.isDirect()).isTrue();
    }

    @Test
    void directSinkBodyIsReadOnly() {
        Bodies.DirectSink sink = new Bodies.DirectSink(16);
        sink.write('x');
        ByteBuffer body = sink.toReadOnlyBuffer();
        assertThat(body.position()).isZero();
        Assertions.assertThatThrownBy(() -> body.put(0, (byte) 'y')).isInstanceOf(ReadOnlyBufferException.class);
    }
}
