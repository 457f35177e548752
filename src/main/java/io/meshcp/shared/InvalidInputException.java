package io.meshcp.shared;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** Input that breaks rules the type system cannot express; names each offending field. */
// The status also gives dashboard pages the right error page; the API advice maps it explicitly.
@ResponseStatus(HttpStatus.BAD_REQUEST)
public class InvalidInputException extends RuntimeException {

    private final List<FieldError> errors;

    public InvalidInputException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public InvalidInputException(List<FieldError> errors) {
        super(errors.getFirst().message());
        this.errors = List.copyOf(errors);
    }

    /** The first field at fault. */
    public String field() {
        return errors.getFirst().field();
    }

    public List<FieldError> errors() {
        return errors;
    }
}
