package io.meshcp.shared;

/**
 * Thrown when an id does not name a resource of the caller's tenant. Another tenant's ids end here
 * too, so a caller cannot tell "exists elsewhere" from "does not exist".
 */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String what) {
        super(what + " not found");
    }
}
