package io.fabrictelemetry.metrics.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/** The idle timeout over an embedded channel whose clock the test moves. */
class IdleDeadlineTests {

    private static final long TIMEOUT_MS = 60_000;

    private EmbeddedChannel channel;

    @BeforeEach
    void channel() {
        channel = new EmbeddedChannel();
        channel.freezeTime(); // before the handler starts its clock
        channel.pipeline().addLast(new IdleDeadline(TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS)));
    }

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    private void request() {
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/x"));
        ReferenceCountUtil.release(channel.readInbound());
    }

    private void response() {
        channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK),
                new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[] {'{', '}'})), LastHttpContent.EMPTY_LAST_CONTENT);
        discardOutbound();
    }

    private void discardOutbound() {
        for (Object written; (written = channel.readOutbound()) != null; ) {
            ReferenceCountUtil.release(written);
        }
    }

    private void after(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void connectionThatSendsNothingIsClosedAtTheTimeoutAndNotBefore() {
        after(TIMEOUT_MS - 1);
        assertThat(channel.isOpen()).isTrue();
        after(1);
        assertThat(channel.isOpen()).as("closed once idle for the whole timeout").isFalse();
    }

    @Test
    void requestInProgressIsNeverIdleAndItsResponseStartsTheIdleTime() {
        request();
        after(10 * TIMEOUT_MS); // a long response, such as the event stream
        assertThat(channel.isOpen()).as("a request in progress is not idle").isTrue();
        response();
        after(TIMEOUT_MS - 1);
        assertThat(channel.isOpen()).isTrue();
        after(1);
        assertThat(channel.isOpen()).as("closed a whole timeout after the response").isFalse();
    }

    @Test
    void eachResponseRestartsTheIdleTime() {
        after(TIMEOUT_MS - 100);
        request();
        response();
        after(100); // the first check fires: idle for only 100 ms
        assertThat(channel.isOpen()).isTrue();
        after(TIMEOUT_MS - 101);
        assertThat(channel.isOpen()).isTrue();
        after(1);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void busyConnectionStaysOpenAndClosesOneTimeoutAfterItsLastResponse() {
        for (int i = 0; i < 10_000; i++) {
            request();
            response();
            if (i % 100 == 0) {
                after(TIMEOUT_MS / 20);
            }
        }
        after(TIMEOUT_MS - 1);
        assertThat(channel.isOpen()).isTrue();
        after(1);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void pipelinedRequestsKeepTheConnectionBusyUntilTheLastResponse() {
        request();
        request();
        response();
        after(3 * TIMEOUT_MS);
        assertThat(channel.isOpen()).as("the second request is still in progress").isTrue();
        response();
        after(TIMEOUT_MS);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void continueResponseDoesNotEndTheRequest() {
        request();
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        discardOutbound();
        after(3 * TIMEOUT_MS);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void responseTheClientIsStillTakingIsNotIdleButOneThatStopsMovingIs() {
        request();
        // written but not flushed: its bytes stay in the channel's outbound buffer, as a large body
        // does while a slow client reads it
        channel.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        channel.write(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[4096])));
        channel.write(LastHttpContent.EMPTY_LAST_CONTENT);
        after(TIMEOUT_MS);
        assertThat(channel.isOpen()).as("bytes still queued: the response has not left").isTrue();
        after(TIMEOUT_MS - 1);
        assertThat(channel.isOpen()).isTrue();
        after(1);
        assertThat(channel.isOpen()).as("the queued bytes did not move for a whole timeout").isFalse();
    }

    @Test
    void messagesPassThroughUnchanged() {
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/x");
        channel.writeInbound(request);
        assertThat((Object) channel.readInbound()).isSameAs(request);
        request.release();
        channel.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat((Object) channel.readOutbound()).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    @Test
    void closedConnectionLeavesNoCheckBehind() {
        request();
        response();
        channel.close();
        assertThat(channel.runScheduledPendingTasks()).isEqualTo(-1);
    }

    @Test
    void timeoutMustBePositive() {
        assertThatThrownBy(() -> new IdleDeadline(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
