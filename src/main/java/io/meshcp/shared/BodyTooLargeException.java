package io.meshcp.shared;

import java.io.IOException;

/** A body of undeclared length read past its endpoint's limit ({@link RequestBodyLimitFilter}): 413. */
public class BodyTooLargeException extends IOException {

    BodyTooLargeException(long limit) {
        super(message(limit));
    }

    static String message(long limit) {
        return "The request body is larger than the " + limit + " bytes this endpoint takes. Nothing was done.";
    }
}
