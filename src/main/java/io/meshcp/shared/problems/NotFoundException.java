package io.meshcp.shared.problems;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * Thrown when an id does not name a resource of the caller's tenant. Another tenant's ids end here
 * too, so a caller cannot tell "exists elsewhere" from "does not exist".
 */
// The status also gives dashboard pages the right error page; the API advice maps it explicitly.
@ResponseStatus(HttpStatus.NOT_FOUND)
public class NotFoundException extends RuntimeException {

    public NotFoundException(String what) {
        super(what + " not found");
    }
}
