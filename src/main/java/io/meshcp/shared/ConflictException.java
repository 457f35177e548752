package io.meshcp.shared;

/** A request that is well formed but clashes with the current state (a name taken, the last owner). */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
