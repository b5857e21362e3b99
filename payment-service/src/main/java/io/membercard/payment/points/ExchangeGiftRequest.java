package io.membercard.payment.points;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** S1-36: spend the card's points on gift {@code giftId}. The serial is the {@code Idempotency-Key} header. */
public record ExchangeGiftRequest(
        @NotBlank @Size(max = 32) String cardCode,
        @NotBlank @Size(max = 64) String mac,
        @NotNull @Min(1) Long giftId,
        @Size(max = 200) String remark,
        @Size(max = 32) String timestamp) {
}
