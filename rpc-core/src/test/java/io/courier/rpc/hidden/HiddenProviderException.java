package io.courier.rpc.hidden;

/** An exception outside the API's packages that the consumer's allowlist does not know. */
public class HiddenProviderException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public HiddenProviderException(String message) {
        super(message);
    }
}
