package io.courier.rpc.spring.boot.autoconfigure;

/** Test contract of the observability tests. */
public interface TracedService {

    String echo(String text);

    /** Returns the trace id of the span current while the provider runs the call. */
    String traceId();

    /** Never reaches the provider's bean: a provider interceptor refuses it. */
    String refused();
}
