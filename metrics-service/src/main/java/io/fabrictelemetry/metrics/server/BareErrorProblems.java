package io.fabrictelemetry.metrics.server;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Gives a problem body to the error answers that never reach the application: a request Reactor
 * Netty or Spring's adapter cannot read is refused before any handler of ours runs, with an empty
 * {@code 400} (a target that is not a valid URI, such as {@code ?switch=%zz}, or a malformed request),
 * {@code 414} (a request line longer than the decoder's limit) or {@code 431} (headers larger than
 * its limit). A client, or {@code jq}, then gets what every other error gives: an RFC 9457
 * {@code application/problem+json} body ({@code type: about:blank}, title, status, detail).
 *
 * <p>An answer is bare when its status is 400 or more, it declares {@code Content-Length: 0} and it
 * has no {@code Content-Type}: every error of the application has a problem body and its type, so
 * none of them is touched. The answer to a {@code HEAD} keeps no body, so the handler keeps, per
 * connection, which of the requests still waiting for their answer were {@code HEAD}s (in order, as
 * HTTP/1.1 answers them; beyond 64 waiting it stops adding bodies until they are answered). One
 * exception: a request line too long to read has no method Netty can tell (it stands in a
 * {@code GET}), so a {@code HEAD}'s 414 has the body too; the connection is closed after it.
 *
 * <p>One instance per connection, right after the HTTP codec (it sees decoded requests and the
 * answers before they are encoded).
 */
final class BareErrorProblems extends ChannelDuplexHandler {

    static final String NAME = "fabric.bareErrorProblems";

    private static final int TRACKED = 64;

    private final Bodies bodies;

    /** Bit i: the i-th oldest request still waiting for its answer is a HEAD. */
    private long heads;
    /** Requests waiting for their answer whose method is in {@link #heads}: the oldest ones. */
    private int waiting;
    /** Requests waiting beyond those, whose method is not kept: their answers get no body. */
    private int untracked;
    /** A bare answer's head went out with a body announced: its empty last content carries the body. */
    private byte @Nullable [] pendingBody;

    BareErrorProblems(Bodies bodies) {
        this.bodies = bodies;
    }

    /** The three problem bodies, built once for every connection. */
    record Bodies(byte[] badRequest, byte[] uriTooLong, byte[] headersTooLarge) {

        /**
         * @param maxInitialLineLength the decoder's limit on the request line, named in the 414's detail
         * @param maxHeaderSize        the decoder's limit on the headers, named in the 431's detail
         */
        Bodies(long maxInitialLineLength, long maxHeaderSize) {
            // our own texts, with nothing to escape in JSON
            this(problem(400, "Bad Request", "the request could not be read: a malformed request line, "
                    + "target or header (in the target, a '%' must be followed by two hexadecimal digits, and "
                    + "spaces, quotes, '<', '>', '{', '}', '|' and '^' must be percent-encoded)"),
                    problem(414, "URI Too Long", "the request line is longer than " + maxInitialLineLength + " bytes"),
                    problem(431, "Request Header Fields Too Large",
                            "the request headers are larger than " + maxHeaderSize + " bytes"));
        }

        private static byte[] problem(int status, String title, String detail) {
            return ("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                    + ",\"detail\":\"" + detail + "\"}").getBytes(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest request) {
            if (waiting < TRACKED && untracked == 0) {
                if (HttpMethod.HEAD.equals(request.method())) {
                    heads |= 1L << waiting;
                }
                waiting++;
            } else {
                untracked++;
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        Object out = msg;
        if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            boolean head = answered();
            byte @Nullable [] body = head ? null : bodyFor(response);
            if (body != null) {
                if (msg instanceof FullHttpResponse full) {
                    out = withBody(full, body);
                } else {
                    announce(response, body);
                    pendingBody = body;
                }
            }
        } else if (pendingBody != null && msg instanceof LastHttpContent last) {
            if (!last.content().isReadable()) {
                out = new DefaultLastHttpContent(Unpooled.wrappedBuffer(pendingBody));
                last.release();
            }
            pendingBody = null;
        }
        ctx.write(out, promise);
    }

    /** The oldest waiting request has its answer: true when it was a HEAD, or its method is not kept. */
    private boolean answered() {
        if (waiting > 0) {
            boolean head = (heads & 1) != 0;
            heads >>>= 1;
            waiting--;
            return head;
        }
        if (untracked > 0) {
            untracked--;
            return true;
        }
        return false; // an answer with no request: nothing was read that could be a HEAD
    }

    private byte @Nullable [] bodyFor(HttpResponse response) {
        int status = response.status().code();
        if (status < 400 || response.headers().contains(HttpHeaderNames.CONTENT_TYPE)
                || !"0".equals(response.headers().get(HttpHeaderNames.CONTENT_LENGTH))
                || response instanceof FullHttpResponse full && full.content().isReadable()) {
            return null;
        }
        return switch (status) {
            case 400 -> bodies.badRequest();
            case 414 -> bodies.uriTooLong();
            case 431 -> bodies.headersTooLarge();
            default -> null;
        };
    }

    private static void announce(HttpResponse response, byte[] body) {
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length);
    }

    private static FullHttpResponse withBody(FullHttpResponse bare, byte[] body) {
        ByteBuf content = Unpooled.wrappedBuffer(body);
        FullHttpResponse answer = new DefaultFullHttpResponse(bare.protocolVersion(), bare.status(), content,
                bare.headers().copy(), bare.trailingHeaders().copy());
        announce(answer, body);
        bare.release();
        return answer;
    }
}
