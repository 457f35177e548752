package io.meshcp.shared.problems;

import java.net.URI;

/**
 * The stable problem {@code type} URIs of the API (RFC 9457). Clients may switch on them; they never
 * change meaning. docs/problems.md describes each.
 */
public enum ProblemType {
    VALIDATION("validation"),
    MALFORMED_REQUEST("malformed-request"),
    UNAUTHENTICATED("unauthenticated"),
    FORBIDDEN("forbidden"),
    NOT_FOUND("not-found"),
    METHOD_NOT_ALLOWED("method-not-allowed"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type"),
    NOT_ACCEPTABLE("not-acceptable"),
    CONFLICT("conflict"),
    PRECONDITION_FAILED("precondition-failed"),
    PRECONDITION_REQUIRED("precondition-required"),
    PAYLOAD_TOO_LARGE("payload-too-large"),
    MISDIRECTED_REQUEST("misdirected-request"),
    TOO_MANY_REQUESTS("too-many-requests"),
    UNAVAILABLE("unavailable"),
    INTERNAL("internal");

    private final URI uri;

    ProblemType(String slug) {
        this.uri = URI.create("urn:meshcp:problem:" + slug);
    }

    public URI uri() {
        return uri;
    }

    public static ProblemType forStatus(int status) {
        return switch (status) {
            case 400 -> MALFORMED_REQUEST;
            case 401 -> UNAUTHENTICATED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> CONFLICT;
            case 412 -> PRECONDITION_FAILED;
            case 428 -> PRECONDITION_REQUIRED;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 421 -> MISDIRECTED_REQUEST;
            case 429 -> TOO_MANY_REQUESTS;
            case 503 -> UNAVAILABLE;
            default -> status >= 500 ? INTERNAL : MALFORMED_REQUEST;
        };
    }
}
