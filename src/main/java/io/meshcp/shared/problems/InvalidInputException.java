package io.meshcp.shared.problems;

import java.util.List;
import java.util.function.Supplier;

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

    /**
     * Runs one check of several and returns its result, or null after adding what it found wrong to {@code errors}:
     * so that a request is refused naming every field at fault, not only the first.
     */
    public static <T> T collect(List<FieldError> errors, Supplier<T> check) {
        try {
            return check.get();
        }
        catch (InvalidInputException e) {
            errors.addAll(e.errors());
            return null;
        }
    }

    /** {@link #collect} for a check that returns nothing. */
    public static void check(List<FieldError> errors, Runnable check) {
        collect(errors, () -> {
            check.run();
            return null;
        });
    }

    /** Refuses with every error collected, if there is one. */
    public static void throwIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    /** Every field at fault and what is wrong with it, in one line for a page: {@code name: must be ...; ...}. */
    public String describe() {
        return String.join("; ", errors.stream().map(error -> error.field() + ": " + error.message()).toList());
    }

    /** The first field at fault. */
    public String field() {
        return errors.getFirst().field();
    }

    public List<FieldError> errors() {
        return errors;
    }
}
