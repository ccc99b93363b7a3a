package io.fabrictelemetry.metrics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import io.netty.handler.timeout.ReadTimeoutException;
import reactor.netty.channel.AbortedException;

class PollOutcomeTests {

    @Test
    void clientReadTimeoutCountsAsATimeoutLikeTheWholePollTimeout() {
        // the client's between-reads limit and the poll's timeout are equal; either may fire first
        assertThat(PollOutcome.of(new RuntimeException("wrapped", ReadTimeoutException.INSTANCE)))
                .isEqualTo(PollOutcome.TIMEOUT);
        assertThat(PollOutcome.of(new TimeoutException())).isEqualTo(PollOutcome.TIMEOUT);
    }

    @Test
    void refusedConnectionIsAConnectErrorAndABrokenExchangeAnIoError() {
        assertThat(PollOutcome.of(new RuntimeException(new ConnectException("refused"))))
                .isEqualTo(PollOutcome.CONNECT_ERROR);
        assertThat(PollOutcome.of(new AbortedException("closed"))).isEqualTo(PollOutcome.IO_ERROR);
    }

    @Test
    void anErrorAnywhereInTheCausesOrAFailureOfTheServicesOwnStepsIsAnInternalError() {
        assertThat(PollOutcome.of(new InternalFailureException("building the snapshot", new IllegalStateException())))
                .isEqualTo(PollOutcome.INTERNAL_ERROR);
        // Netty's own direct-memory limit, passed on by the client as the cause of a request failure
        assertThat(PollOutcome.of(new RuntimeException("request failed", new OutOfMemoryError("Direct buffer memory"))))
                .isEqualTo(PollOutcome.INTERNAL_ERROR);
        assertThat(PollOutcome.of(new AssertionError("bug"))).isEqualTo(PollOutcome.INTERNAL_ERROR);
        assertThat(PollOutcome.INTERNAL_ERROR.tag()).isEqualTo("internal_error");
        assertThat(PollOutcome.INTERNAL_ERROR.succeeded()).isFalse();
    }
}
