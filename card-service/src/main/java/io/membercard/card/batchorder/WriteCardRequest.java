package io.membercard.card.batchorder;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code writecard}: the till wrote the card of detail {@code id} of order {@code orderId} and read
 * its {@code mac} (卡密). {@code cardCode}, when sent, must be that detail's card.
 */
public record WriteCardRequest(
        @Size(max = 32) String cardCode,
        @NotNull @Min(1) Long id,
        @NotBlank @Size(max = 64) String mac,
        @NotNull @Min(1) Long orderId) {
}
