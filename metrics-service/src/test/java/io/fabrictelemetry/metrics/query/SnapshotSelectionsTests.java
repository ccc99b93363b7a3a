package io.fabrictelemetry.metrics.query;

import static io.fabrictelemetry.metrics.query.PortFabric.A;
import static io.fabrictelemetry.metrics.query.PortFabric.B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.web.util.UriComponentsBuilder;

import io.fabrictelemetry.metrics.api.ProblemException;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;

/**
 * A filtered ListMetrics query's selection is worked out once per snapshot and raw query, then
 * reused for that snapshot only; a bad query is refused each time and never kept; the bounds hold.
 */
class SnapshotSelectionsTests {

    private final SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofHours(1)));
    private final SnapshotSelections selections = new SnapshotSelections(3);
    private final AtomicInteger selects = new AtomicInteger();

    private Snapshot publish() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return store.publish(PortFabric.table(PortFabric.csv(now, now.minusSeconds(60))), now, now, null);
    }

    private SnapshotSelections.Selected get(Snapshot snapshot, String rawQuery) {
        return selections.get(snapshot, rawQuery, () -> {
            selects.incrementAndGet();
            ListMetricsFilter filter = ListMetricsFilter.parse(
                    UriComponentsBuilder.fromUriString("/x?" + rawQuery).build().getQueryParams());
            if (filter.isUnfiltered()) {
                return null;
            }
            ListMetricsFilter.Selection selection = filter.select(snapshot);
            return new SnapshotSelections.Selected(selection, selection.etag(), selection.etag() + "gz");
        });
    }

    @Test
    void aQueryIsSelectedOncePerSnapshotAndANewerSnapshotSelectsAfresh() {
        Snapshot first = publish();
        SnapshotSelections.Selected once = get(first, "switch=" + A);
        SnapshotSelections.Selected again = get(first, "switch=" + A);

        assertThat(again).isSameAs(once);
        assertThat(selects).hasValue(1);

        Snapshot newer = publish();
        SnapshotSelections.Selected fresh = get(newer, "switch=" + A);

        assertThat(selects).hasValue(2);
        assertThat(fresh.selection().snapshot()).isSameAs(newer);
        assertThat(fresh.etag()).isNotEqualTo(once.etag());
        // a request still holding the older snapshot gets that snapshot's selection, and the newer stays
        assertThat(get(first, "switch=" + A).selection().snapshot()).isSameAs(first);
        assertThat(get(newer, "switch=" + A)).isSameAs(fresh);
    }

    @Test
    void eachRawQueryIsItsOwnSelection() {
        Snapshot snapshot = publish();

        SnapshotSelections.Selected a = get(snapshot, "switch=" + A);
        SnapshotSelections.Selected b = get(snapshot, "switch=" + B);

        assertThat(a.etag()).isNotEqualTo(b.etag());
        assertThat(get(snapshot, "switch=" + B)).isSameAs(b);
    }

    @Test
    void aRefusedQueryIsRefusedEveryTimeAndNothingIsKept() {
        Snapshot snapshot = publish();

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> get(snapshot, "switch=nope")).isInstanceOf(ProblemException.class);
        }
        assertThat(selects).hasValue(2);
        assertThat(selections.keptQueries()).isZero();
    }

    @Test
    void anUnfilteredQueryIsNotKept() {
        Snapshot snapshot = publish();

        assertThat(get(snapshot, "ports=true")).isNull();
        assertThat(get(snapshot, "ports=true")).isNull();

        assertThat(selects).hasValue(2);
        assertThat(selections.keptQueries()).isZero();
    }

    @Test
    void beyondTheBoundsASelectionIsWorkedOutPerRequest() {
        Snapshot snapshot = publish();
        get(snapshot, "switch=" + A);
        get(snapshot, "switch=" + B);
        get(snapshot, "metric=" + PortFabric.CBW);
        get(snapshot, "switch=" + A + "&metric=" + PortFabric.CBW); // a fourth: over the 3 kept
        get(snapshot, "switch=" + A + "&metric=" + PortFabric.CBW);
        assertThat(selections.keptQueries()).isEqualTo(3);
        assertThat(selects).hasValue(5);

        String longQuery = "switch=" + A + "&metric=" + PortFabric.CBW + "&x=" + "y".repeat(SnapshotSelections.MAX_QUERY_LENGTH);
        SnapshotSelections fresh = new SnapshotSelections(100);
        AtomicInteger longSelects = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            fresh.get(snapshot, longQuery, () -> {
                longSelects.incrementAndGet();
                ListMetricsFilter.Selection selection = ListMetricsFilter.parse(
                        UriComponentsBuilder.fromUriString("/x?" + longQuery).build().getQueryParams()).select(snapshot);
                return new SnapshotSelections.Selected(selection, selection.etag(), selection.etag());
            });
        }
        assertThat(longSelects).hasValue(2);
        assertThat(fresh.keptQueries()).isZero();
    }
}
