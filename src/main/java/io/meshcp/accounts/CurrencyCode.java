package io.meshcp.accounts;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** An ISO 4217 currency code, in any case and with spaces around it (stored stripped and upper case). */
@Documented
@Constraint(validatedBy = CurrencyCode.Check.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@interface CurrencyCode {

    String message() default "must be an ISO 4217 currency code such as USD, EUR or GBP";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Checks against the codes the JDK knows. */
    final class Check implements ConstraintValidator<CurrencyCode, String> {

        private static final Set<String> CODES = Currency.getAvailableCurrencies().stream()
                .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());

        @Override
        public boolean isValid(String code, ConstraintValidatorContext context) {
            return CODES.contains(normalise(code));
        }

        static String normalise(String code) {
            return code == null ? "" : code.strip().toUpperCase(Locale.ROOT);
        }
    }
}
