package io.fabrictelemetry.metrics.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.util.MultiValueMap;

/** The query parser reads every query exactly as Spring's {@code getQueryParams()} does. */
class QueryStringTests {

    /** Spring's reading of a request whose URI has this raw query, or null if no URI can have it. */
    private static MultiValueMap<String, String> spring(String rawQuery) {
        URI uri;
        try {
            uri = new URI("http://localhost/telemetry/GetMetric?" + rawQuery);
        } catch (URISyntaxException notAUri) {
            return null;
        }
        return MockServerHttpRequest.method(HttpMethod.GET, uri).build().getQueryParams();
    }

    @Test
    void readsTheUsualQueries() {
        assertThat(QueryString.parse("switch=sw-0001&metric=latency_us"))
                .containsExactlyEntriesOf(spring("switch=sw-0001&metric=latency_us"));
        assertThat(QueryString.parse("switch=sw%2D0001,sw-0002&switch=a+b")).isEqualTo(spring("switch=sw%2D0001,sw-0002&switch=a+b"));
        assertThat(QueryString.parse(null)).isEmpty();
    }

    @Test
    void nameWithoutEqualsHasNoValueAndNameWithEqualsHasAnEmptyOne() {
        MultiValueMap<String, String> params = QueryString.parse("switch&metric=");
        assertThat(params.get("switch")).containsExactly((String) null);
        assertThat(params.get("metric")).containsExactly("");
        assertThat(params).isEqualTo(spring("switch&metric="));
    }

    @Test
    void agreesWithSpringOnRandomQueries() {
        String alphabet = "ab=&%2F+x=&é%C3%A9%zz%4";
        SplittableRandom random = new SplittableRandom(12345);
        int compared = 0;
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder query = new StringBuilder();
            int length = random.nextInt(12);
            for (int j = 0; j < length; j++) {
                query.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String raw = query.toString();
            MultiValueMap<String, String> expected;
            try {
                expected = spring(raw);
            } catch (IllegalArgumentException badEncoding) {
                assertThatThrownBy(() -> QueryString.parse(raw)).as(raw).isInstanceOf(IllegalArgumentException.class);
                continue;
            }
            if (expected == null) { // Reactor Netty refuses such a request line before Spring sees it
                continue;
            }
            if (hasReplacementCharacter(expected)) {
                // escapes that are not UTF-8, which Spring reads as U+FFFD (the alphabet cannot write
                // U+FFFD itself): refused as bad encoding
                assertThatThrownBy(() -> QueryString.parse(raw)).as(raw).isInstanceOf(IllegalArgumentException.class);
                refused++;
                continue;
            }
            assertThat(QueryString.parse(raw)).as(raw).isEqualTo(expected);
            compared++;
        }
        assertThat(compared).isGreaterThan(2_000);
        assertThat(refused).isGreaterThan(100);
    }

    private static boolean hasReplacementCharacter(MultiValueMap<String, String> params) {
        return params.entrySet().stream().anyMatch(entry -> entry.getKey().indexOf(REPLACEMENT) >= 0
                || entry.getValue().stream().anyMatch(value -> value != null && value.indexOf(REPLACEMENT) >= 0));
    }

    private static final char REPLACEMENT = 0xFFFD;

    @Test
    void escapesAreDecodedAsUtf8AndBytesThatAreNotUtf8AreBadEncoding() {
        assertThat(QueryString.parse("switch=sw%E2%82%AC1&metric=a+b%20c").toSingleValueMap())
                .containsExactly(entry("switch", "sw" + (char) 0x20AC + "1"), entry("metric", "a b c"));
        for (String bad : List.of("switch=%E2%82", "switch=%FF", "switch=%C3", "%E2%82=x", "switch=%zz", "switch=%4")) {
            assertThatThrownBy(() -> QueryString.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void oneParameterReadInPlaceHasTheValuesOfTheWholeParse() {
        assertThat(QueryString.values("switch=sw-0001&metric=latency_us", "switch")).containsExactly("sw-0001");
        assertThat(QueryString.values("switch=a&metric=b&switch&switch=", "switch")).containsExactly("a", null, "");
        assertThat(QueryString.values("switches=a&metric=b", "switch")).isNull();
        assertThat(QueryString.values(null, "switch")).isNull();
        String alphabet = "ab=&%2F+x=&é%C3%A9%zz%4";
        List<String> names = List.of("a", "ab", "b", "x", "ax", "é", "/");
        SplittableRandom random = new SplittableRandom(54321);
        int compared = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder query = new StringBuilder();
            int length = random.nextInt(14);
            for (int j = 0; j < length; j++) {
                query.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String raw = query.toString();
            MultiValueMap<String, String> whole;
            try {
                whole = QueryString.parse(raw);
            } catch (IllegalArgumentException badEncoding) {
                for (String name : names) {
                    assertThatThrownBy(() -> QueryString.values(raw, name)).as(raw).isInstanceOf(IllegalArgumentException.class);
                }
                continue;
            }
            for (String name : names) {
                assertThat(QueryString.values(raw, name)).as(raw + " " + name).isEqualTo(whole.get(name));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(20_000);
    }
}
