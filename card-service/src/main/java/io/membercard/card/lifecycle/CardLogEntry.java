package io.membercard.card.lifecycle;

import java.time.LocalDateTime;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * One line of a card's lifecycle audit, for managers: what happened to {@code cardCode}, who did it at which shop,
 * the other card of a replacement, whether the card's secret proved the card was there ({@code cardPresent}: false
 * means a manager acted without it; null for lines written before the audit had the column), and {@code amounts}:
 * what the account moved (payment-service's answer: paid back and forfeited on a return, moved on a replacement).
 */
public record CardLogEntry(long id, String cardCode, String action, String otherCardCode, Long shopId,
        String userId, String userName, Boolean cardPresent, String remark, @JsonRawValue String amounts,
        @JsonFormat(pattern = "yyyy-MM-dd HH:mm:ss") LocalDateTime createdAt) {
}
