package io.meshcp.shared.problems;

/** The request body is larger than the endpoint takes: 413. */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(String message) {
        super(message);
    }
}
