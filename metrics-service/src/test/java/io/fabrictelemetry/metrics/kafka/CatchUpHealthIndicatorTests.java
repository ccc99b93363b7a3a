package io.fabrictelemetry.metrics.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.health.contributor.Status;

class CatchUpHealthIndicatorTests {

    final ConsumerTracker tracker = new ConsumerTracker();
    final CatchUpHealthIndicator indicator = indicator(tracker);

    static CatchUpHealthIndicator indicator(ConsumerTracker tracker) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        if (tracker != null) {
            beans.addBean("consumerTracker", tracker);
        }
        return new CatchUpHealthIndicator(beans.getBeanProvider(ConsumerTracker.class));
    }

    @Test
    void isOutOfServiceUntilTheEndOffsetReadAtStartIsReachedThenStaysUp() {
        assertThat(indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);

        tracker.update(status -> status.positioned(5, 2));
        assertThat(indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(indicator.health().getDetails()).containsEntry("endOffsetAtStart", 5L).containsEntry("position", 2L);

        tracker.update(status -> status.read(4, Instant.now(), 4));
        assertThat(indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        tracker.update(status -> status.read(5, Instant.now(), 0));
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

        // newer records keep coming: caught up stays caught up
        tracker.update(status -> status.answered(Instant.now(), 9));
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
        assertThat(tracker.status().lagRecords()).isEqualTo(4);
    }

    @Test
    void anEmptyTopicIsCaughtUpAtOnce() {
        tracker.update(status -> status.positioned(0, 0));
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void isUpWhenNothingIsConsumed() {
        assertThat(indicator(null).health().getStatus()).isEqualTo(Status.UP);
    }
}
