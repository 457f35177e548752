package io.meshcp.shared;

/** Input that breaks a rule the type system cannot express; names the offending field. */
public class InvalidInputException extends RuntimeException {

    private final String field;

    public InvalidInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
