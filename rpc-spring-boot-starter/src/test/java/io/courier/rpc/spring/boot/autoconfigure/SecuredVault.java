package io.courier.rpc.spring.boot.autoconfigure;

import io.courier.rpc.RpcContext;
import io.courier.rpc.spring.RpcService;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import java.security.Principal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link Vault} with method security; counts the calls that reached its bodies. */
@RpcService
public class SecuredVault implements Vault {

    private final AtomicInteger adminCalls = new AtomicInteger();

    /** Returns how many calls reached the admin method bodies; a method, since the bean is a proxy. */
    public int adminCalls() {
        return adminCalls.get();
    }

    @Override
    public String whoAmI() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        Principal principal = RpcContext.current().principal();
        return (authentication == null ? "-" : authentication.getName()) + "|"
                + (principal == null ? "-" : principal.getName());
    }

    @Override
    @PreAuthorize("hasRole('ADMIN')")
    public String adminOnly() {
        adminCalls.incrementAndGet();
        return "opened";
    }

    @Override
    @PreAuthorize("hasRole('ADMIN')")
    public CompletableFuture<String> adminOnlyAsync() {
        adminCalls.incrementAndGet();
        return CompletableFuture.supplyAsync(() -> "opened later");
    }
}
