package io.membercard.payment.lifecycle;

import java.math.BigDecimal;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.membercard.common.security.Operator;

/**
 * What card-service asks of a card's account when the card's life changes (service to service). Each command
 * carries card-service's operation id, which makes it idempotent: a repeat answers the first result.
 */
public final class CardAccountCommands {
    private CardAccountCommands() {
    }

    /** Who asked, as card-service recorded it from the user's token. */
    public record Actor(@NotNull @Min(1) Long tenantId, Long shopId, @NotBlank @Size(max = 64) String userId,
            @Size(max = 64) String userName, Boolean manager) {

        public Operator operator() {
            return new Operator(tenantId, userId, userName == null ? "" : userName, Boolean.TRUE.equals(manager));
        }
    }

    /** S1-34: the account of {@code fromCardId} moves to {@code toCardId}. */
    public record Replace(@NotBlank @Size(max = 64) String operationId, @NotNull Actor actor,
            @NotNull @Min(1) Long fromCardId, @NotBlank @Size(max = 32) String fromCardCode,
            @NotNull @Min(1) Long toCardId, @NotBlank @Size(max = 32) String toCardCode, String timestamp,
            @Size(max = 200) String remark) {
    }

    /** S1-29: the card ends; its actual balance is paid back by {@code paymentType}. */
    public record Return(@NotBlank @Size(max = 64) String operationId, @NotNull Actor actor,
            @NotNull @Min(1) Long cardId, @NotBlank @Size(max = 32) String cardCode, @NotNull Integer paymentType,
            String timestamp, @Size(max = 200) String remark) {
    }

    /** What a replacement moved. */
    @JsonPropertyOrder({"accountId", "balance", "actualBalance", "giveBalance", "actualPoints", "timestamp"})
    public record Replaced(long accountId, BigDecimal balance, BigDecimal actualBalance, BigDecimal giveBalance,
            long actualPoints, String timestamp) {
    }

    /** What a return paid back and forfeited. */
    @JsonPropertyOrder({"paymentType", "paidBack", "forfeitedBonus", "forfeitedPoints", "timestamp"})
    public record Returned(int paymentType, BigDecimal paidBack, BigDecimal forfeitedBonus, long forfeitedPoints,
            String timestamp) {
    }
}
