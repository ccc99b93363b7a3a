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
}
