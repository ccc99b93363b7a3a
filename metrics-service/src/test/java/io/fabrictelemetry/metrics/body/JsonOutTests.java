package io.fabrictelemetry.metrics.body;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;


/** The byte writer's numbers are {@code Long.toString}'s, and its buffer flushes whatever the sizes. */
class JsonOutTests {

    private static String written(int expectedSize, Consumer<JsonOut> write) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        JsonOut out = new JsonOut(sink, expectedSize);
        write.accept(out);
        out.flush();
        return sink.toString(StandardCharsets.UTF_8);
    }

    @Test
    void numbersAreWrittenAsLongToStringWritesThem() {
        SplittableRandom random = new SplittableRandom(4);
        long power = 1;
        for (int i = 0; i < 19; i++) {
            for (long value : new long[] {power - 1, power, power + 1, -power, -power + 1}) {
                assertThat(written(256, out -> out.number(value))).isEqualTo(Long.toString(value));
            }
            power *= 10;
        }
        for (long value : new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, Integer.MAX_VALUE,
            Integer.MAX_VALUE + 1L, Integer.MIN_VALUE, 99, 100}) {
            assertThat(written(256, out -> out.number(value))).isEqualTo(Long.toString(value));
        }
        for (int i = 0; i < 200_000; i++) {
            long value = random.nextLong() >> random.nextInt(64);
            assertThat(written(256, out -> out.number(value))).isEqualTo(Long.toString(value));
        }
    }

    @Test
    void thousandthsAreWrittenAsTheDecimalsTextIs() {
        SplittableRandom random = new SplittableRandom(6);
        char[] chars = new char[Decimals.MAX_LENGTH];
        for (int i = 0; i < 200_000; i++) {
            long value = i < 3_000 ? i - 1_500 : random.nextLong(-9_000_000_000_000_000L, 9_000_000_000_000_000L) >> random.nextInt(60);
            String expected = new String(chars, 0, Decimals.thousandths(value, chars));
            assertThat(written(256, out -> out.thousandths(value))).isEqualTo(expected);
        }
    }

    @Test
    void longDocumentsFlushThroughTheSmallestBuffer() {
        StringBuilder expected = new StringBuilder();
        String text = written(1, out -> {
            for (int i = 0; i < 5_000; i++) {
                out.ascii('[').number(i).ascii(',').string("sw-" + i).ascii(",").string("é\"" + i).ascii(']');
            }
            out.ascii("x".repeat(1_000)).raw(new byte[] {'y', 'z'});
        });
        for (int i = 0; i < 5_000; i++) {
            expected.append('[').append(i).append(",\"sw-").append(i).append("\",\"é\\\"").append(i).append("\"]");
        }
        expected.append("x".repeat(1_000)).append("yz");
        assertThat(text).isEqualTo(expected.toString());
    }
}
