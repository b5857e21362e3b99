package io.membercard.card.lifecycle;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The card lifecycle's request bodies, with the seeds' field names. {@code userId} and {@code id} are accepted
 * and ignored where the seed lists them without a use: the operator is the token's user, the card is its code.
 */
public final class LifecycleRequests {
    private LifecycleRequests() {
    }

    /** S1-32 挂失: no {@code mac}, the card is gone. */
    public record ReportLoss(@NotBlank @Size(max = 32) String cardCode, @Size(max = 200) String remark,
            String timestamp, Object userId, Object id) {
    }

    /** S1-33 解挂: the card is back, {@code mac} proves it. */
    public record CancelLoss(@NotBlank @Size(max = 32) String cardCode, @NotBlank @Size(max = 64) String mac,
            @Size(max = 200) String remark, String timestamp, Object userId, Object id) {
    }

    /** S1-34 换卡: {@code oldCardCode}'s member and account move to {@code cardCode}, whose MAC is {@code mac}. */
    public record Replace(@NotBlank @Size(max = 32) String cardCode, @NotBlank @Size(max = 64) String mac,
            @NotBlank @Size(max = 32) String oldCardCode, @Size(max = 200) String remark, String timestamp,
            Object userId, Object id) {
    }

    /** S1-35 作废. */
    public record VoidCard(@NotBlank @Size(max = 32) String cardCode, Object id) {
    }

    /** S1-29 退卡: the actual balance is paid back by {@code paymentType}. */
    public record ReturnCard(@NotBlank @Size(max = 32) String cardCode, @NotBlank @Size(max = 64) String mac,
            @NotNull Integer paymentType, @Size(max = 200) String remark, String timestamp, Object userId,
            Object id) {
    }

    /** S1-38 重写卡: card {@code code} is written again with a new {@code mac}; {@code id}, if sent, is its id. */
    public record Rewrite(@NotBlank @Size(max = 32) String code, @NotBlank @Size(max = 64) String mac, Long id) {
    }
}
