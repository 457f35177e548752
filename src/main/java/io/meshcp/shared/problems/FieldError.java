package io.meshcp.shared.problems;

/** One named field that failed validation, listed under {@code errors} in a problem detail. */
public record FieldError(String field, String message) {
}
