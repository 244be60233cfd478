/**
 * The default serializer: Kryo with an allowlist of classes (the service interfaces' types and
 * what the application adds), bounded reads that check every declared length against the
 * body, and pooled instances. Only {@link io.courier.rpc.serialization.kryo.KryoSerializer} is
 * public; everything else is its implementation.
 */
package io.courier.rpc.serialization.kryo;
