package io.meshcp.shared.problems;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import jakarta.validation.Validator;
import org.springframework.stereotype.Component;

/**
 * The Bean Validation constraints declared on an input record, checked by the service that takes it, so that the
 * REST API and the dashboard's forms refuse the same input with the same words. Returns field errors rather than
 * throwing, for the service to add what only it can check (the clock, the database) and refuse once, naming every
 * field at fault. Errors come in the order of the record's components.
 */
@Component
public final class InputChecks {

    private final Validator validator;

    InputChecks(Validator validator) {
        this.validator = validator;
    }

    /** What is wrong with {@code input} by its declared constraints; empty when nothing is. */
    public List<FieldError> problems(Object input) {
        List<String> order = input.getClass().isRecord()
                ? Arrays.stream(input.getClass().getRecordComponents()).map(RecordComponent::getName).toList()
                : List.of();
        return validator.validate(input).stream()
                .map(violation -> new FieldError(violation.getPropertyPath().toString(), violation.getMessage()))
                .distinct()
                .sorted(Comparator.comparingInt((FieldError error) -> position(order, error.field()))
                        .thenComparing(FieldError::message))
                .toList();
    }

    private static int position(List<String> order, String field) {
        int index = order.indexOf(field);
        return index < 0 ? order.size() : index;
    }
}
