package io.meshcp.accounts;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** A team change the acting member's role does not allow. */
@ResponseStatus(HttpStatus.FORBIDDEN)
public class ForbiddenChangeException extends RuntimeException {

    public ForbiddenChangeException(String message) {
        super(message);
    }
}
