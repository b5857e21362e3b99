package io.membercard.common.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import io.membercard.common.api.ApiException;

class MoneyTest {

    @Test
    void amountsAreCarriedWithScaleTwo() {
        assertThat(Money.of("money", new BigDecimal("12.5"))).isEqualByComparingTo("12.50").hasToString("12.50");
        assertThat(Money.of("money", new BigDecimal("7"))).hasToString("7.00");
        assertThat(Money.of("money", new BigDecimal("1.200"))).hasToString("1.20");
        assertThat(Money.of("money", null)).isNull();
    }

    @Test
    void moreThanTwoDecimalsAndOutOfRangeAreRefusedNamingTheField() {
        assertThatThrownBy(() -> Money.of("payMoney", new BigDecimal("0.001")))
                .isInstanceOf(ApiException.class).hasMessage("payMoney: at most 2 decimals");
        assertThatThrownBy(() -> Money.of("payMoney", new BigDecimal("-0.01")))
                .hasMessage("payMoney: must be between 0 and 99999999.99");
        assertThatThrownBy(() -> Money.of("payMoney", new BigDecimal("100000000.00")))
                .hasMessageStartingWith("payMoney: ");
        assertThat(Money.of("payMoney", Money.MAX)).isEqualByComparingTo(Money.MAX);
        assertThatThrownBy(() -> Money.required("money", null)).hasMessage("money: is required");
    }

    @Test
    void queryAmountsAreParsedExactly() {
        assertThat(Money.parse("money", "0.10")).hasToString("0.10");
        assertThat(Money.parse("money", " ")).isNull();
        assertThatThrownBy(() -> Money.parse("money", "1e3x")).hasMessage("money: must be a number");
    }

    @Test
    void validatorAgreesWithOf() {
        MoneyAmountValidator validator = new MoneyAmountValidator();
        assertThat(validator.isValid(null, null)).isTrue();
        assertThat(validator.isValid(new BigDecimal("99999999.99"), null)).isTrue();
        assertThat(validator.isValid(new BigDecimal("1.005"), null)).isFalse();
        assertThat(validator.isValid(new BigDecimal("-1"), null)).isFalse();
    }
}
