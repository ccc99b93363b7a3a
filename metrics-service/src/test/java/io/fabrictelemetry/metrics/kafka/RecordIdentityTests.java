package io.fabrictelemetry.metrics.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class RecordIdentityTests {

    static final byte[] A = "switch_id,x\r\nsw-1,1\r\n".getBytes(StandardCharsets.UTF_8);
    static final byte[] B = "switch_id,x\r\nsw-1,2\r\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void isTheSourceEtagWhenThereIsOneWhateverTheBytes() {
        assertThat(RecordIdentity.of("\"g-1\"", "2026-12-07T09:00:00Z", A))
                .isEqualTo(RecordIdentity.of("\"g-1\"", "2026-12-07T09:00:10Z", B))
                .isNotEqualTo(RecordIdentity.of("\"g-2\"", "2026-12-07T09:00:00Z", A));
    }

    @Test
    void isTheSampledAtWithoutAnEtag() {
        assertThat(RecordIdentity.of(null, "2026-12-07T09:00:00Z", A))
                .isEqualTo(RecordIdentity.of(null, "2026-12-07T09:00:00Z", B))
                .isNotEqualTo(RecordIdentity.of(null, "2026-12-07T09:00:10Z", A));
    }

    @Test
    void isTheBytesWithNeither() {
        assertThat(RecordIdentity.of(null, null, A)).isEqualTo(RecordIdentity.of(null, null, A.clone()))
                .isNotEqualTo(RecordIdentity.of(null, null, B));
    }
}
