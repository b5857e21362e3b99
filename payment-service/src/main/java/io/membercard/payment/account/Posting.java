package io.membercard.payment.account;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.membercard.common.events.Outbox;
import io.membercard.common.security.Operator;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * One transaction on one locked account. Every change goes through {@link #post}: the ledger entry, the account's
 * new figures and the outbox event are written together.
 */
public final class Posting {
    private final SqlConnection tx;
    private final AccountRepository accounts;
    private final Outbox outbox;
    private final LedgerIds ids;
    private final Operator operator;
    private final Long shopId;
    private final List<Posted> posted = new ArrayList<>();
    private Account account;
    private Long previousCardId;
    private boolean pointsExpiryChanged;

    Posting(SqlConnection tx, AccountRepository accounts, Outbox outbox, LedgerIds ids, Operator operator,
            Long shopId, Account account) {
        this.tx = tx;
        this.accounts = accounts;
        this.outbox = outbox;
        this.ids = ids;
        this.operator = operator;
        this.shopId = shopId;
        this.account = account;
    }

    /** The account as it is now, within this transaction. */
    public Account account() {
        return account;
    }

    public SqlConnection tx() {
        return tx;
    }

    public Operator operator() {
        return operator;
    }

    public Long shopId() {
        return shopId;
    }

    /** The entries written so far. */
    public List<Posted> posted() {
        return List.copyOf(posted);
    }

    /**
     * Moves the account to card {@code cardId} (a replacement), with a {@code CARD_REPLACED} entry: the balances,
     * points and history now belong to the new card. The caller has made sure the new card has no account.
     */
    public Uni<Posted> moveToCard(long cardId, String cardCode, String billNo, String remark) {
        return accounts.moveToCard(tx, account, cardId, cardCode).flatMap(ignored -> {
            // The points' expiry now belongs to the new card.
            pointsExpiryChanged |= account.actualPoints() > 0;
            previousCardId = account.cardId();
            account = account.onCard(cardId, cardCode);
            return post(Delta.cardReplaced(billNo, remark));
        });
    }

    /** Whether this posting may have changed when the account's points first expire (its lots changed so). */
    public boolean pointsExpiryChanged() {
        return pointsExpiryChanged;
    }

    /** Records that the lots changed so that the points' first expiry may have changed. */
    public void markPointsExpiryChanged() {
        pointsExpiryChanged = true;
    }

    /** Writes {@code delta}: ledger entry, account figures and an {@code account.changed} event, in one statement. */
    public Uni<Posted> post(Delta delta) {
        return ids.next(tx).flatMap(entryId -> {
            Posted entry = new Posted(entryId, account.after(delta), Instant.now());
            Outbox.Pending event = outbox.pending(account.tenantId(), AccountChanged.TYPE,
                    Long.toString(account.id()), AccountChanged.of(entry, delta, shopId, operator, previousCardId),
                    entry.at());
            return accounts.apply(tx, account, delta, operator, shopId, entryId, event).map(ignored -> {
                account = entry.after();
                posted.add(entry);
                return entry;
            });
        });
    }
}
