package dev.bakeoff.shop.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.regex.Pattern;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A query parameter holding an integer as the contract writes it: {@code -?[0-9]+}, within
 * {@code min..max}. Null (absent) is valid.
 *
 * <p>The text is checked as text because Spring's String-to-number conversion is more lenient
 * than the contract: it trims, takes {@code +1}, {@code 0x1F} and {@code 010}, and when a stricter
 * converter refuses a value it falls back to its property editors, which take those too.
 */
@Documented
@Constraint(validatedBy = IntegerText.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
public @interface IntegerText {

    long min() default Integer.MIN_VALUE;

    long max() default Integer.MAX_VALUE;

    String message() default "must be an integer from {min} to {max}";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<IntegerText, String> {

        private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

        /** The value of an integer text, or null when the text is not one (or is beyond 64 bits). */
        public static Long parse(String text) {
            if (text == null || !INTEGER.matcher(text).matches()) {
                return null;
            }
            try {
                return Long.valueOf(text);
            } catch (NumberFormatException beyond64Bits) {
                return null;
            }
        }

        private long min;
        private long max;

        @Override
        public void initialize(IntegerText annotation) {
            this.min = annotation.min();
            this.max = annotation.max();
        }

        @Override
        public boolean isValid(String text, ConstraintValidatorContext context) {
            if (text == null) {
                return true;
            }
            Long value = parse(text);
            return value != null && value >= min && value <= max;
        }
    }
}
