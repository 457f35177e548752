package io.meshcp.shared.problems;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * An optimistic write whose expected version (an ETag such as {@code "v3"}) is not the current one:
 * 412 when one was given, 428 when none was. Nothing has changed.
 */
@ResponseStatus(HttpStatus.PRECONDITION_FAILED)
public class VersionMismatchException extends RuntimeException {

    private final String given;

    private final String current;

    public VersionMismatchException(String given, String current) {
        super("expected version " + given + ", current is " + current);
        this.given = given;
        this.current = current;
    }

    public String given() {
        return given;
    }

    public String current() {
        return current;
    }
}
