package io.courier.rpc.benchmark.http;

/**
 * A response as the benchmark's HTTP clients return it: the status and the whole body.
 *
 * @param status the HTTP status code
 * @param body the body's bytes, never null
 */
public record HttpResponse(int status, byte[] body) {
}
