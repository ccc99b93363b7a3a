package io.fabrictelemetry.metrics.body;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import tools.jackson.core.JsonGenerator;

/** Strings written by {@link JsonOut} are byte for byte what the API's JSON generator writes. */
class JsonStringTests {

    private static String jackson(String value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = Bodies.JSON.createGenerator(out)) {
            json.writeStartArray();
            json.writeString(value);
            json.writeEndArray();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String ours(String value) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        new JsonOut(sink, 4).ascii("[").string(value).ascii("]").flush();
        return sink.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainAndSpecialStringsAreWrittenAsJacksonWritesThem() {
        for (String value : new String[] {"", "sw-0001", "say \"hi\"", "back\\slash", "tab\there", "nl\n", "\u0000\u001f",
                "\u007f", "é", "交换机-1", "emoji \uD83D\uDE80", "lone \uD800 surrogate"}) {
            assertThat(ours(value)).as(value).isEqualTo(jackson(value));
        }
    }

    @Test
    void randomStringsAreWrittenAsJacksonWritesThem() {
        SplittableRandom random = new SplittableRandom(3);
        String alphabet = "ab-_.09\"\\\n\t\u0001é交\uD83D\uDE80";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder value = new StringBuilder();
            for (int j = random.nextInt(40); j > 0; j--) {
                value.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertThat(ours(value.toString())).isEqualTo(jackson(value.toString()));
        }
    }

    @Test
    void growsPastItsInitialCapacity() {
        String long_ = "x".repeat(10_000);
        assertThat(ours(long_)).isEqualTo("[\"" + long_ + "\"]");
    }
}
