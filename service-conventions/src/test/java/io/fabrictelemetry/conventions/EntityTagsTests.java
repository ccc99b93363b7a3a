package io.fabrictelemetry.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class EntityTagsTests {

    @Test
    void ifNoneMatchComparesWeaklyListsAndStar() {
        assertThat(EntityTags.matches(List.of("\"a-1\""), "\"a-1\"")).isTrue();
        assertThat(EntityTags.matches(List.of("W/\"a-1\""), "\"a-1\"")).isTrue();
        assertThat(EntityTags.matches(List.of("\"a-1\""), "W/\"a-1\"")).isTrue();
        assertThat(EntityTags.matches(List.of("\"x\", \"a-1\""), "\"a-1\"")).isTrue();
        assertThat(EntityTags.matches(List.of("\"x\"", " W/\"a-1\" "), "\"a-1\"")).isTrue();
        assertThat(EntityTags.matches(List.of("*"), "\"a-1\"")).isTrue();
        assertThat(EntityTags.matches(List.of("\"a-2\""), "\"a-1\"")).isFalse();
        assertThat(EntityTags.matches(List.of("a-1"), "\"a-1\"")).isFalse();
        assertThat(EntityTags.matches(List.of(), "\"a-1\"")).isFalse();
    }

    @Test
    void aSuffixGoesInsideTheQuotes() {
        assertThat(EntityTags.withSuffix("\"1a2b3c4d-42\"", "-gzip")).isEqualTo("\"1a2b3c4d-42-gzip\"");
        assertThat(EntityTags.withoutClosingQuote("\"1a2b3c4d-42\"", 8).append("-r1-c2").append('"').toString())
                .isEqualTo("\"1a2b3c4d-42-r1-c2\"");
    }

    @Test
    void aRunTagsItsStatesWithItsBootIdentifierAndTheirNumber() {
        EntityTags run = EntityTags.bootScoped();
        assertThat(run.tag(1)).matches("\"[0-9a-f]{8}-1\"");
        assertThat(run.tag(42)).isEqualTo(run.tag(1).replace("-1\"", "-42\""));
        assertThat(EntityTags.bootScoped().tag(1)).as("another run, another tag for state 1").isNotEqualTo(run.tag(1));
    }
}
