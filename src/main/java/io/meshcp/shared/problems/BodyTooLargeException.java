package io.meshcp.shared.problems;

import java.io.IOException;

/** A body of undeclared length read past its endpoint's limit ({@link RequestBodyLimitFilter}): 413. */
public class BodyTooLargeException extends IOException {

    public BodyTooLargeException(long limit) {
        super(message(limit));
    }

    public static String message(long limit) {
        return "The request body is larger than the " + limit + " bytes this endpoint takes. Nothing was done.";
    }
}
