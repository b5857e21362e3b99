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

    /**
     * S1-34 换卡: {@code oldCardCode}'s member and account move to {@code cardCode}, whose MAC is {@code mac}.
     * {@code oldMac} (ours, not the seed's): the old card's secret, which proves the card is there; required when the
     * old card is active, whoever asks.
     */
    public record Replace(@NotBlank @Size(max = 32) String cardCode, @NotBlank @Size(max = 64) String mac,
            @NotBlank @Size(max = 32) String oldCardCode, @Size(max = 64) String oldMac,
            @Size(max = 200) String remark, String timestamp, Object userId, Object id) {
    }

    /** S1-35 作废. */
    public record VoidCard(@NotBlank @Size(max = 32) String cardCode, Object id) {
    }

    /** S1-29 退卡: the actual balance is paid back by {@code paymentType}; without {@code mac}, a manager's only. */
    public record ReturnCard(@NotBlank @Size(max = 32) String cardCode, @Size(max = 64) String mac,
            @NotNull Integer paymentType, @Size(max = 200) String remark, String timestamp, Object userId,
            Object id) {
    }

    /**
     * S1-38 重写卡: card {@code code} is written again with a new {@code mac}; {@code id}, if sent, is its id.
     * {@code oldMac} (ours, not the seed's): the card's current secret, when its chip can still be read; without it
     * only a manager rewrites a written card, or an unwritten one that belongs to a member.
     */
    public record Rewrite(@NotBlank @Size(max = 32) String code, @NotBlank @Size(max = 64) String mac, Long id,
            @Size(max = 64) String oldMac) {
    }
}
