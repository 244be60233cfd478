package io.courier.rpc.internal.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.courier.rpc.RpcException;
import io.courier.rpc.config.ServiceConfig;
import io.courier.rpc.test.ChunkedInbound;
import io.courier.rpc.internal.dispatch.InvokerTable;
import io.courier.rpc.serialization.json.JsonSerializer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the HTTP side of a Courier port (reliability row 12d): request line, headers, bodies
 * (Content-Length, chunked, both), JSON arguments and the routes, through the real pipeline of
 * {@link HttpPipeline} in an {@link EmbeddedChannel}, with a dispatcher that binds each call's
 * arguments the way the server does and answers it at once. Arbitrary bytes must only produce
 * HTTP answers or a closed channel, never an exception, and every buffer must be released.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the seed corpus in {@code HttpDecoderFuzzTestInputs};
 * {@code ./mvnw -B -pl rpc-core -Pfuzz test -Dtest=HttpDecoderFuzzTest} fuzzes it. The first
 * control byte (read from the end by {@link FuzzedDataProvider}) says how many bytes to write per
 * read.
 */
class HttpDecoderFuzzTest {

    private static final List<ServiceConfig<?>> SERVICES =
            List.of(ServiceConfig.of(HttpTestServer.Greeter.class, new HttpTestServer.GreeterImpl()));
    private static final InvokerTable INVOKERS = InvokerTable.of(SERVICES);
    private static final JsonSerializer JSON = new JsonSerializer();

    /** Binds the arguments as the server would, then answers without running business code. */
    private static final HttpCallDispatcher DISPATCHER = new HttpCallDispatcher() {
        @Override
        public void dispatch(Channel channel, HttpCall call) {
            try {
                call.bind(INVOKERS);
                call.answerValue(null, Map.of());
            } catch (RpcException e) {
                call.answerRefusal(e);
            }
        }

        @Override
        public boolean isServing() {
            return true;
        }
    };

    private static final HttpPipeline PIPELINE = new HttpPipeline(INVOKERS, JSON, DISPATCHER, 4096,
            Duration.ofSeconds(30), "/");

    @FuzzTest(maxDuration = "10m")
    void servesArbitraryBytes(FuzzedDataProvider data) {
        int chunk = data.consumeInt(1, 64);
        byte[] bytes = data.consumeRemainingAsBytes();

        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast("tail", new ChannelInboundHandlerAdapter());
        PIPELINE.addTo(ch.pipeline(), "tail");
        try {
            // An exception out of the pipeline is a finding: EmbeddedChannel rethrows what it threw.
            List<ByteBuf> written = ChunkedInbound.write(ch, bytes, chunk, () -> {
                ch.runPendingTasks();
                drainOutbound(ch);
            });
            ch.finish();
            drainOutbound(ch);
            for (Object leftover = ch.readInbound(); leftover != null; leftover = ch.readInbound()) {
                ReferenceCountUtil.release(leftover);
                throw new AssertionError("the HTTP handlers passed on " + leftover);
            }
            ChunkedInbound.assertReleased(written);
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private static void drainOutbound(EmbeddedChannel ch) {
        for (Object out = ch.readOutbound(); out != null; out = ch.readOutbound()) {
            ReferenceCountUtil.release(out);
        }
    }
}
