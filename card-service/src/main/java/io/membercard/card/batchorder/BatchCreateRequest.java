package io.membercard.card.batchorder;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code batchcreate}, with seed 000's names. Fields the server owns ({@code id}, {@code currentCode},
 * {@code createCount}, {@code writeCount}, {@code isFinished}, {@code createTime}, {@code userId},
 * {@code userName}, {@code details}, {@code memberCardClassName}) are accepted and ignored.
 *
 * @param code the client's order number (单号): optional; when given it is the order's serial number, so a
 *        retry returns the first order instead of making another
 */
public record BatchCreateRequest(
        @Min(1) Long shopId,
        @Size(max = 64) String shopName,
        @Size(max = 40) @Pattern(regexp = "[0-9A-Za-z_-]*", message = "must be letters, digits, '-' or '_'") String code,
        @NotNull @Min(1) Long memberCardClassId,
        @NotNull @Size(max = 32) String startCode,
        @Size(max = 32) String endCode,
        @Min(1) @Max(1_000_000) Integer expectCount) {
}
