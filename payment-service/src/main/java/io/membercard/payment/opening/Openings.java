package io.membercard.payment.opening;

import java.math.BigDecimal;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.membercard.common.money.MoneyAmount;
import io.membercard.payment.lifecycle.CardAccountCommands.Actor;

/**
 * Opening balances for cards that arrive with money and points from another system (member import, partner
 * issuing): service to service, up to {@value #MAX_ITEMS} cards a call. Each account receives one opening, ever;
 * a repeat reports the cards already opened and changes nothing.
 */
public record Openings(@NotNull @Valid Actor actor,
        @NotEmpty @Size(max = MAX_ITEMS) List<@NotNull @Valid Item> items) {

    public static final int MAX_ITEMS = 1000;

    /** One card's opening: money paid in before ({@code actual}), bonus ({@code give}), points and their validity. */
    public record Item(@NotNull @Min(1) Long cardId, @NotBlank @Size(max = 32) String cardCode,
            @MoneyAmount BigDecimal actual, @MoneyAmount BigDecimal give, @Min(0) @Max(1_000_000_000) Long points,
            @Min(0) @Max(36_500) Integer pointsValidDays, @Size(max = 64) String billNo,
            @Size(max = 200) String remark) {
    }

    /** What happened to one card: {@code opened} is false when it had its opening already. */
    @JsonPropertyOrder({"cardId", "accountId", "opened", "timestamp"})
    public record Opened(long cardId, long accountId, boolean opened, String timestamp) {
    }
}
