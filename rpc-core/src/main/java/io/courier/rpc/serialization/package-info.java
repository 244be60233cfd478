/**
 * The {@link io.courier.rpc.serialization.Serializer} SPI that encodes arguments, values and
 * exceptions, the set of them a server accepts ({@link io.courier.rpc.serialization.Serializers})
 * and the {@link io.courier.rpc.serialization.SerializationException} every decoding failure
 * becomes. Implementations live in sub-packages.
 */
package io.courier.rpc.serialization;
