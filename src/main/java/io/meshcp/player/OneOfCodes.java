package io.meshcp.player;

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
 * A text that must be one of an enum's wire codes, or null; refused as "must be a, b or c". Request records take the
 * codes as text and check them with this rather than binding the enum: Spring's binder would fall back to the
 * constant's name ({@code WIFI}, {@code FULL_CONE}) where the code is refused, and a binding failure would hide every
 * other error of the request.
 */
@Documented
@Constraint(validatedBy = OneOfCodes.Check.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface OneOfCodes {

    /** The enum whose codes are allowed. */
    Class<? extends WireCode> value();

    String message() default "is not a known code";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Checks a code against its enum; names the codes when it is none of them. */
    final class Check implements ConstraintValidator<OneOfCodes, String> {

        private WireCodes codes;

        private String refusal;

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public void initialize(OneOfCodes annotation) {
            this.codes = WireCodes.of(annotation.value());
            this.refusal = WireCode.mustBeOneOf((Class) annotation.value());
        }

        @Override
        public boolean isValid(String code, ConstraintValidatorContext context) {
            if (code == null || codes.valueByCode.containsKey(code)) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            // The codes hold no braces or dollars, so they read as they are in a message template.
            context.buildConstraintViolationWithTemplate(refusal).addConstraintViolation();
            return false;
        }
    }
}
