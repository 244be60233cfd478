/**
 * The readable, cross-language serializer: JSON through Jackson, for calls from other languages
 * and for debugging. Only {@link io.courier.rpc.serialization.json.JsonSerializer} is public.
 */
package io.courier.rpc.serialization.json;
