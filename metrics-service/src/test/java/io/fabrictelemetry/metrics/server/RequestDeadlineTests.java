package io.fabrictelemetry.metrics.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/** The request timeout over an embedded channel whose clock the test moves. */
class RequestDeadlineTests {

    private static final long TIMEOUT_MS = 2_000;

    private EmbeddedChannel channel;

    @BeforeEach
    void channel() {
        channel = new EmbeddedChannel(new RequestDeadline(TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS)));
        channel.freezeTime();
    }

    private void head() {
        channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/x"));
    }

    private void bodyPart() {
        channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[] {1})));
    }

    private void lastContent() {
        channel.writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    private void after(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void requestWhoseContentNeverEndsIsClosedAtItsDeadlineAndNotBefore() {
        head();
        bodyPart();
        after(TIMEOUT_MS - 1);
        assertThat(channel.isOpen()).isTrue();
        after(1);
        assertThat(channel.isOpen()).as("closed at the deadline").isFalse();
    }

    @Test
    void requestThatArrivesInTimeKeepsTheConnectionOpen() {
        head();
        after(TIMEOUT_MS - 100);
        bodyPart();
        lastContent();
        after(10 * TIMEOUT_MS);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void manyQuickRequestsBackToBackKeepTheConnectionOpenAndLeaveNothingScheduled() {
        for (int i = 0; i < 10_000; i++) {
            head();
            lastContent();
            if (i % 100 == 0) {
                after(50);
            }
        }
        after(TIMEOUT_MS);
        assertThat(channel.isOpen()).isTrue();
        assertThat(channel.runScheduledPendingTasks()).as("no check left pending once idle").isEqualTo(-1);
    }

    @Test
    void fullRequestsAreCompleteOnArrival() {
        for (int i = 0; i < 100; i++) {
            channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/x"));
        }
        after(10 * TIMEOUT_MS);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void deadlineBelongsToTheRequestInProgressNotToAnEarlierOne() {
        head();
        lastContent();
        after(TIMEOUT_MS - 100); // the check scheduled by the first request is about to fire
        head();                  // a second request starts and stalls
        bodyPart();
        after(100);              // the first check fires: the second request is not overdue yet
        assertThat(channel.isOpen()).isTrue();
        after(TIMEOUT_MS - 101);
        assertThat(channel.isOpen()).isTrue();
        after(1);
        assertThat(channel.isOpen()).as("closed at the second request's deadline").isFalse();
    }

    @Test
    void everyMessagePassesThroughUnchanged() {
        head();
        bodyPart();
        lastContent();
        Object first = channel.readInbound();
        HttpContent second = channel.readInbound();
        Object third = channel.readInbound();
        assertThat(first).isInstanceOf(DefaultHttpRequest.class);
        assertThat(second.content().readByte()).isEqualTo((byte) 1);
        assertThat(third).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        ReferenceCountUtil.release(second);
    }

    @Test
    void closedConnectionLeavesNoCheckBehind() {
        head();
        channel.close();
        assertThat(channel.runScheduledPendingTasks()).isEqualTo(-1);
    }

    @Test
    void timeoutMustBePositive() {
        assertThatThrownBy(() -> new RequestDeadline(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
