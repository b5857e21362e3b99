package io.membercard.card.issue;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Cards for members (service to service: member-service's member creation, import and partner issuing). Each item
 * binds an existing card that has no member yet, or creates one, for member {@code memberId}; {@code key} makes the
 * item idempotent (a repeat finds the card issued under it).
 */
public record IssueRequest(@NotNull @Min(1) Long tenantId, @NotNull @Min(0) Long shopId,
        @Size(max = 64) String shopName, Long cardClassId, @NotBlank @Size(max = 64) String userId,
        @Size(max = 64) String userName, @NotEmpty @Size(max = MAX_ITEMS) List<@NotNull @Valid Item> items) {

    public static final int MAX_ITEMS = 1000;

    /**
     * One member's card ({@code memberId} null: a card without a member, which is always created). {@code cardCode}
     * names an existing card, or the card to create when {@code create}; without
     * it a code is made up (virtual and offline cards). {@code mac} writes an unwritten card, or must match a
     * written one. {@code sendMode}: 1 physical, 2 WeChat, 3 offline batch, 4 virtual. {@code expiresAt}: epoch
     * milliseconds, for offline cards with a validity. {@code macHashes} stands for {@code mac} when the issuer had
     * to keep the secret a while (member-service's import): this service's hashes of it, as
     * {@code POST /internal/cards/mac-hashes} answered them (the tenant's own first, then under the salts of cards
     * migrated in); {@code mac} wins when both come.
     */
    public record Item(@NotBlank @Size(max = 100) String key, @Min(1) Long memberId,
            @Size(max = 32) @Pattern(regexp = "[A-Za-z0-9_-]+", message = "must be letters, digits, - or _") String cardCode,
            @Size(max = 64) String mac, @NotNull @Min(1) @Max(4) Integer sendMode, Long cardClassId, Boolean create,
            Long expiresAt,
            @Size(max = 64) List<@NotNull @Pattern(regexp = "[0-9a-f]{64}", message = "must be this service's MAC hashes") String> macHashes) {

        public Item(String key, Long memberId, String cardCode, String mac, Integer sendMode, Long cardClassId,
                Boolean create, Long expiresAt) {
            this(key, memberId, cardCode, mac, sendMode, cardClassId, create, expiresAt, null);
        }

        /** Whether the card secret comes as the secret itself. */
        boolean plainMac() {
            return mac != null && !mac.isBlank();
        }

        /** Whether the card secret comes only as its hashes. */
        boolean hashedMac() {
            return !plainMac() && macHashes != null && !macHashes.isEmpty();
        }
    }
}
