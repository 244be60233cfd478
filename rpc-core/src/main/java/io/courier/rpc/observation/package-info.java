/**
 * Micrometer Observation support: client and server interceptors that observe every call, their
 * contexts (for tracing propagation through attachments) and the default naming convention,
 * which an application can replace.
 */
package io.courier.rpc.observation;
