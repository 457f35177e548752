package io.meshcp.accounts;

/** A team change the acting member's role does not allow. */
public class ForbiddenChangeException extends RuntimeException {

    public ForbiddenChangeException(String message) {
        super(message);
    }
}
