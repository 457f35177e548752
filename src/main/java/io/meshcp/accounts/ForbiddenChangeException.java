package io.meshcp.accounts;

import io.meshcp.shared.problems.ForbiddenException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** A team change the acting member's role does not allow. */
@ResponseStatus(HttpStatus.FORBIDDEN)
public class ForbiddenChangeException extends ForbiddenException {

    public ForbiddenChangeException(String message) {
        super(message);
    }
}
