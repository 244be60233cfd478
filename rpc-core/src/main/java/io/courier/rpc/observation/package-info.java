/**
 * Micrometer Observation support: client and server interceptors that observe every call, their
 * contexts (for tracing propagation through attachments) and their naming conventions, which an
 * application can replace ({@link io.courier.rpc.observation.RpcServerObservationConvention},
 * {@link io.courier.rpc.observation.RpcClientObservationConvention}).
 */
package io.courier.rpc.observation;
