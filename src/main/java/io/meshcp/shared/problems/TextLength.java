package io.meshcp.shared.problems;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A text of {@code min} to {@code max} characters once the spaces around it are stripped, as it will be stored; null
 * counts as empty. Refused as "must be 1 to 100 characters".
 */
@Documented
@Constraint(validatedBy = TextLength.Check.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface TextLength {

    int min() default 1;

    int max();

    String message() default "must be {min} to {max} characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Counts the characters of the stripped text. */
    final class Check implements ConstraintValidator<TextLength, String> {

        private int min;

        private int max;

        @Override
        public void initialize(TextLength annotation) {
            this.min = annotation.min();
            this.max = annotation.max();
        }

        @Override
        public boolean isValid(String text, ConstraintValidatorContext context) {
            int length = text == null ? 0 : text.strip().length();
            return length >= min && length <= max;
        }
    }
}
