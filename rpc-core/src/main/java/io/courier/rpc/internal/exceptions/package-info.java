/**
 * Implementation, not API: how the serializers see a business exception's class, its own fields
 * and an instance made without running its constructors
 * ({@link io.courier.rpc.internal.exceptions.ExceptionShapes}), so that an exception reaches the
 * caller as it was thrown. Applications must not depend on these types.
 */
package io.courier.rpc.internal.exceptions;
