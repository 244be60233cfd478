package io.courier.rpc.auth;

/** A service behind authentication, for the auth tests. */
public interface SecureService {

    /** Returns the name of the caller's principal as the provider sees it. */
    String whoAmI();

    /** Returns the note; its argument is what a refused call must never decode. */
    String store(String note);
}
