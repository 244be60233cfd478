package io.courier.rpc.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.courier.rpc.RpcException;
import io.courier.rpc.config.ServiceConfig;
import io.courier.rpc.internal.dispatch.InvokerTable;
import io.courier.rpc.serialization.json.JsonSerializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
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
        List<ByteBuf> written = new ArrayList<>();
        try {
            for (int i = 0; i < bytes.length && ch.isOpen(); i += chunk) {
                ByteBuf in = Unpooled.buffer(chunk);
                in.writeBytes(bytes, i, Math.min(chunk, bytes.length - i));
                written.add(in);
                // An exception here is a finding: EmbeddedChannel rethrows what the pipeline threw.
                ch.writeInbound(in);
                ch.runPendingTasks();
                drainOutbound(ch);
            }
            ch.finish();
            drainOutbound(ch);
            for (Object leftover = ch.readInbound(); leftover != null; leftover = ch.readInbound()) {
                ReferenceCountUtil.release(leftover);
                throw new AssertionError("the HTTP handlers passed on " + leftover);
            }
            for (ByteBuf in : written) {
                assertThat(in.refCnt()).as("input buffer reference count").isZero();
            }
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
