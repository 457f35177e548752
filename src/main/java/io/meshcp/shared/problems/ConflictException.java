package io.meshcp.shared.problems;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** A request that is well formed but clashes with the current state (a name taken, the last owner). */
// The status also gives dashboard pages the right error page; the API advice maps it explicitly.
@ResponseStatus(HttpStatus.CONFLICT)
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
