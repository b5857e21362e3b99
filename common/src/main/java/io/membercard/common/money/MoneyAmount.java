package io.membercard.common.money;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/** Bean Validation for a money field: at most 2 decimals, 0 to 99,999,999.99. Null is valid (add {@code @NotNull}). */
@Documented
@Constraint(validatedBy = MoneyAmountValidator.class)
@Target({FIELD, PARAMETER, RECORD_COMPONENT, TYPE_USE})
@Retention(RUNTIME)
public @interface MoneyAmount {
    String message() default "must be an amount with at most 2 decimals, from 0 to 99999999.99";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
