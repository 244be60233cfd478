package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcContext;
import io.courier.rpc.RpcErrorCode;
import io.courier.rpc.RpcException;
import io.courier.rpc.interceptor.ServerInterceptor;
import io.courier.rpc.invoke.RpcRequest;
import io.courier.rpc.invoke.RpcResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

import java.security.Principal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Runs each served call with a Spring Security {@link SecurityContext} holding the caller's
 * {@link Authentication} (from {@link RpcContext#principal()}), so that method security such as
 * {@code @PreAuthorize} works on {@code @RpcService} beans; and answers Spring Security's
 * refusals with Courier's codes: {@link AccessDeniedException} as
 * {@link RpcErrorCode#PERMISSION_DENIED}, an {@link AuthenticationException} as
 * {@link RpcErrorCode#UNAUTHENTICATED}.
 *
 * <p>Thread-safe (stateless). The context is set on the business thread around the rest of the
 * chain and the service method, and cleared (or the thread's previous one restored) as soon as
 * they return, also when the method returns a {@link CompletableFuture}: work the service
 * continues on other threads does not see it unless it hands it over itself (for example with
 * Spring Security's {@code DelegatingSecurityContextExecutor}). A refusal thrown by the method,
 * or completing its future, is mapped either way.
 */
final class SecurityContextServerInterceptor implements ServerInterceptor {

    private final SecurityContextHolderStrategy strategy;

    SecurityContextServerInterceptor(SecurityContextHolderStrategy strategy) {
        this.strategy = strategy;
    }

    /** Returns an interceptor using the application-wide holder strategy. */
    static SecurityContextServerInterceptor ofDefaults() {
        return new SecurityContextServerInterceptor(SecurityContextHolder.getContextHolderStrategy());
    }

    @Override
    public CompletableFuture<RpcResponse> intercept(Chain chain) {
        RpcRequest request = chain.request();
        Principal principal = RpcContext.current().principal();
        CompletableFuture<RpcResponse> outcome;
        if (principal == null) {
            outcome = chain.proceed(request);
        } else {
            SecurityContext previous = strategy.getContext();
            SecurityContext context = strategy.createEmptyContext();
            context.setAuthentication(authentication(principal));
            strategy.setContext(context);
            try {
                outcome = chain.proceed(request);
            } finally {
                if (previous == null || previous.getAuthentication() == null) {
                    strategy.clearContext();
                } else {
                    strategy.setContext(previous);
                }
            }
        }
        return mapRefusals(outcome, request, principal);
    }

    private static Authentication authentication(Principal principal) {
        if (principal instanceof Authentication authentication) {
            return authentication;
        }
        List<String> roles = principal instanceof TokenPrincipal token ? token.roles() : List.of();
        return UsernamePasswordAuthenticationToken.authenticated(principal, null, roles.stream()
                .map(r -> new org.springframework.security.core.authority.SimpleGrantedAuthority(
                        r.startsWith("ROLE_") ? r : "ROLE_" + r))
                .toList());
    }

    private static CompletableFuture<RpcResponse> mapRefusals(CompletableFuture<RpcResponse> outcome,
            RpcRequest request, Principal principal) {
        if (outcome.isDone() && !outcome.isCompletedExceptionally() && !outcome.join().hasException()) {
            // The common case, a sync method that returned normally, needs no second future.
            return outcome;
        }
        CompletableFuture<RpcResponse> mapped = new CompletableFuture<>();
        outcome.whenComplete((response, error) -> {
            Throwable refusal = error != null ? unwrap(error) : response.hasException() ? response.exception() : null;
            RpcException translated = translate(refusal, request, principal);
            if (translated != null) {
                mapped.completeExceptionally(translated);
            } else if (error != null) {
                mapped.completeExceptionally(error);
            } else {
                mapped.complete(response);
            }
        });
        return mapped;
    }

    private static RpcException translate(Throwable refusal, RpcRequest request, Principal principal) {
        String call = request.method().interfaceName() + "#" + request.methodName();
        if (refusal instanceof AccessDeniedException) {
            return new RpcException(RpcErrorCode.PERMISSION_DENIED, (principal == null ? "Caller" : principal.getName())
                    + " may not call " + call + ": " + refusal.getMessage());
        }
        if (refusal instanceof AuthenticationException) {
            return new RpcException(RpcErrorCode.UNAUTHENTICATED, "Call to " + call + " needs an authenticated caller: "
                    + refusal.getMessage());
        }
        return null;
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
