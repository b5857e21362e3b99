package io.membercard.common.money;

import java.math.BigDecimal;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** Checks {@link MoneyAmount}. */
public class MoneyAmountValidator implements ConstraintValidator<MoneyAmount, BigDecimal> {
    @Override
    public boolean isValid(BigDecimal value, ConstraintValidatorContext context) {
        return value == null || Money.isValid(value);
    }
}
