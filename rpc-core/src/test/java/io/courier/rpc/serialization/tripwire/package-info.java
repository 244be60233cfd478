/**
 * Test classes outside every allowlist and outside the packages of the fuzzed service interfaces,
 * which record in {@link io.courier.rpc.serialization.tripwire.TripwireLog} when a decoder
 * initializes or constructs them.
 */
package io.courier.rpc.serialization.tripwire;
