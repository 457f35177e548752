package io.meshcp.accounts;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** An email address as an account stores it (trimmed, lower case, at most 254 characters); null is none. */
@Documented
@Constraint(validatedBy = EmailAddress.Check.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@interface EmailAddress {

    String MESSAGE = "must be a valid email address";

    String message() default MESSAGE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Loose on purpose: one @, no spaces, a dot in the domain. The invitation or sign-in proves the rest. */
    final class Check implements ConstraintValidator<EmailAddress, String> {

        private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

        @Override
        public boolean isValid(String email, ConstraintValidatorContext context) {
            return valid(email);
        }

        static boolean valid(String email) {
            String stored = normalise(email);
            return stored.length() <= 254 && EMAIL.matcher(stored).matches();
        }

        static String normalise(String email) {
            return email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
        }
    }
}
