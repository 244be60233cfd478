/**
 * Implementation, not API: the Courier wire protocol specified in {@code docs/protocol.md}. The
 * frame layout ({@link io.courier.rpc.internal.protocol.RpcFrame}), the stateful per-connection
 * {@link io.courier.rpc.internal.protocol.RpcFrameDecoder} and the shared
 * {@link io.courier.rpc.internal.protocol.RpcMessageDecoder}, the decoded messages, and the
 * {@link io.courier.rpc.internal.protocol.FrameWriter} that encodes them. Types here may change
 * in any release; applications must not depend on them.
 */
package io.courier.rpc.internal.protocol;
