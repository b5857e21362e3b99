package io.membercard.payment.account;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.events.Outbox;
import io.membercard.common.security.Operator;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Accounts and their ledger, in SQL. Every query takes the tenant. */
@ApplicationScoped
public class AccountRepository {

    /** The card's account, locked until the transaction ends; opened on first use. */
    public Uni<Account> lockOrOpen(SqlConnection tx, AccountRef ref) {
        return lock(tx, ref).flatMap(found -> found != null
                ? Uni.createFrom().item(found)
                : tx.preparedQuery("""
                        insert into account (tenant_id, card_id, card_code) values ($1, $2, $3)
                        on conflict (tenant_id, card_id) do nothing""")
                        .execute(Tuple.of(ref.tenantId(), ref.cardId(), ref.cardCode()))
                        .flatMap(ignored -> lock(tx, ref)));
    }

    private Uni<Account> lock(SqlConnection tx, AccountRef ref) {
        return tx.preparedQuery("select " + Account.COLUMNS
                + " from account where tenant_id = $1 and card_id = $2 for update")
                .execute(Tuple.of(ref.tenantId(), ref.cardId()))
                .map(AccountRepository::first);
    }

    public Uni<Account> findById(SqlClient client, long tenantId, long id) {
        return client.preparedQuery("select " + Account.COLUMNS + " from account where tenant_id = $1 and id = $2")
                .execute(Tuple.of(tenantId, id))
                .map(AccountRepository::first);
    }

    public Uni<Account> findByCard(SqlClient client, long tenantId, long cardId) {
        return client.preparedQuery("select " + Account.COLUMNS + " from account where tenant_id = $1 and card_id = $2")
                .execute(Tuple.of(tenantId, cardId))
                .map(AccountRepository::first);
    }

    /**
     * Applies {@code delta} to the account and writes its ledger entry {@code entryId} and its event, in one
     * statement. The update is fenced by the version read under the row lock, and the balances' check constraints
     * refuse any overdraft.
     */
    public Uni<Void> apply(SqlConnection tx, Account account, Delta delta, Operator operator, Long shopId,
            long entryId, Outbox.Pending event) {
        Object[] values = {account.id(), account.version(), delta.actualBalance(), delta.giveBalance(),
                delta.actualRecharge(), delta.giveRecharge(), delta.actualExpense(), delta.giveExpense(),
                delta.totalPoints(), delta.usedPoints(), delta.expiredPoints(), account.tenantId(),
                delta.kind().name(), delta.billNo(), delta.refEntryId(), delta.paymentType() == null
                        ? null
                        : delta.paymentType().shortValue(),
                shopId, operator.userId(), operator.userName(), delta.remark() == null ? "" : delta.remark(),
                entryId, event.createdAt().atOffset(ZoneOffset.UTC), event.eventId(), event.type(),
                event.aggregateId(), event.payload()};
        return tx.preparedQuery("""
                with changed as (
                    update account set actual_balance = actual_balance + $3, give_balance = give_balance + $4,
                           actual_recharge = actual_recharge + $5, give_recharge = give_recharge + $6,
                           actual_expense = actual_expense + $7, give_expense = give_expense + $8,
                           total_points = total_points + $9, used_points = used_points + $10,
                           expired_points = expired_points + $11, version = version + 1, updated_at = $22
                    where id = $1 and version = $2 and state = 'OPEN'
                    returning version),
                entry as (
                    insert into ledger_entry (id, tenant_id, account_id, kind, bill_no, ref_entry_id, payment_type,
                           shop_id, actual_balance, give_balance, actual_recharge, give_recharge, actual_expense,
                           give_expense, total_points, used_points, expired_points, version_after, user_id,
                           user_name, remark, created_at)
                    select $21, $12, $1, $13, $14, $15, $16, $17, $3, $4, $5, $6, $7, $8, $9, $10, $11,
                           changed.version, $18, $19, $20, $22
                    from changed
                    returning id)
                insert into outbox_event (event_id, tenant_id, type, aggregate_id, payload, created_at)
                select $23::uuid, $12, $24, $25, $26, $22 from entry
                returning id""")
                .execute(Tuple.from(values))
                .map(rows -> {
                    if (rows.rowCount() != 1) {
                        throw new ApiException(StatusCode.CONFLICT, "card " + account.cardCode()
                                + " changed during the operation; nothing was changed, try again");
                    }
                    return null;
                });
    }

    /**
     * Re-points the locked account to another card (a replacement) and leaves a tombstone on the old card (state
     * {@code MOVED}, pointing at the account), so that no posting can open a fresh account there.
     */
    public Uni<Void> moveToCard(SqlConnection tx, Account account, long cardId, String cardCode) {
        return tx.preparedQuery("""
                with moved as (update account set card_id = $2, card_code = $3
                               where id = $1 and version = $4 and state = 'OPEN' returning tenant_id)
                insert into account (tenant_id, card_id, card_code, state, moved_to_account_id)
                select tenant_id, $5, $6, 'MOVED', $1 from moved""")
                .execute(Tuple.from(new Object[]{account.id(), cardId, cardCode, account.version(), account.cardId(),
                        account.cardCode()}))
                .map(rows -> {
                    if (rows.rowCount() != 1) {
                        throw new ApiException(StatusCode.CONFLICT, "card " + account.cardCode()
                                + " changed during the operation; nothing was changed, try again");
                    }
                    return null;
                });
    }

    /** Removes the card's account if it never held anything (so that another account can take the card). */
    public Uni<Boolean> removeIfUnused(SqlConnection tx, long tenantId, long cardId) {
        return tx.preparedQuery("""
                delete from account where tenant_id = $1 and card_id = $2 and version = 0 and state = 'OPEN'
                and not exists (select 1 from ledger_entry e where e.account_id = account.id)""")
                .execute(Tuple.of(tenantId, cardId)).map(rows -> rows.rowCount() == 1);
    }

    /** Closes the locked account: its card was returned, and it takes no posting any more. */
    public Uni<Void> close(SqlConnection tx, Account account) {
        return tx.preparedQuery("update account set state = 'CLOSED' where id = $1 and tenant_id = $2")
                .execute(Tuple.of(account.id(), account.tenantId())).replaceWithVoid();
    }

    /**
     * After a shop migration: the locked accounts of {@code tenantId} whose money moved point at the accounts that
     * took it ({@code MOVED}); the other cards of the migration ({@code leftCardIds}, with {@code leftCardCodes}) are
     * closed, with a tombstone where they had no account, so that nothing lands on the old tenant's cards.
     */
    public Uni<Void> retireMigrated(SqlConnection tx, long tenantId, Long[] movedIds, Long[] movedTo,
            Long[] leftCardIds, String[] leftCardCodes) {
        return tx.preparedQuery("""
                with moved as (
                    update account a set state = 'MOVED', moved_to_account_id = m.to_id
                    from unnest($2::bigint[], $3::bigint[]) as m(id, to_id)
                    where a.tenant_id = $1 and a.id = m.id
                    returning a.id)
                insert into account (tenant_id, card_id, card_code, state)
                select $1, c.id, c.code, 'CLOSED' from unnest($4::bigint[], $5::varchar[]) as c(id, code)
                on conflict (tenant_id, card_id) do update set state = 'CLOSED' where account.state = 'OPEN'""")
                .execute(Tuple.of(tenantId, movedIds, movedTo, leftCardIds, leftCardCodes)).replaceWithVoid();
    }

    /** The card's account, locked until the transaction ends, or null when it has none. */
    public Uni<Account> lockExisting(SqlConnection tx, long tenantId, long cardId) {
        return lock(tx, new AccountRef(tenantId, cardId, null));
    }

    /** Opens the accounts the cards do not have yet (cardIds and cardCodes side by side). */
    public Uni<Void> openAll(SqlConnection tx, long tenantId, Long[] cardIds, String[] cardCodes) {
        return tx.preparedQuery("""
                insert into account (tenant_id, card_id, card_code)
                select $1, c.id, c.code from unnest($2::bigint[], $3::varchar[]) as c(id, code)
                order by c.id on conflict (tenant_id, card_id) do nothing""")
                .execute(Tuple.of(tenantId, cardIds, cardCodes)).replaceWithVoid();
    }

    /** The accounts of the cards, locked until the transaction ends (in id order, so that batches never deadlock). */
    public Uni<List<Account>> lockAll(SqlConnection tx, long tenantId, Long[] cardIds) {
        return tx.preparedQuery("select " + Account.COLUMNS
                + " from account where tenant_id = $1 and card_id = any($2) order by id for update")
                .execute(Tuple.of(tenantId, cardIds))
                .map(AccountRepository::all);
    }

    /** The accounts of the cards as they are now (no lock). */
    public Uni<List<Account>> findAll(SqlClient client, long tenantId, Long[] cardIds) {
        return client.preparedQuery("select " + Account.COLUMNS
                + " from account where tenant_id = $1 and card_id = any($2) order by id")
                .execute(Tuple.of(tenantId, cardIds))
                .map(AccountRepository::all);
    }

    /** A page of a tenant's accounts by card id, with when their points expire first. */
    public Uni<List<AccountFigures>> figuresPage(SqlClient client, long tenantId, long afterCardId, int limit) {
        return figures(client, "where tenant_id = $1 and card_id > $2 order by card_id limit $3",
                Tuple.of(tenantId, afterCardId, limit));
    }

    /** The accounts of the cards (those that have one), with when their points expire first. */
    public Uni<List<AccountFigures>> figuresOf(SqlClient client, long tenantId, Long[] cardIds) {
        return figures(client, "where tenant_id = $1 and card_id = any($2) order by id", Tuple.of(tenantId, cardIds));
    }

    private static Uni<List<AccountFigures>> figures(SqlClient client, String where, Tuple args) {
        return client.preparedQuery("select " + Account.COLUMNS + """
                , (select min(l.expires_at) from points_lot l where l.account_id = account.id and l.remaining > 0)
                  as points_expire_at
                from account\s""" + where)
                .execute(args)
                .map(rows -> {
                    List<AccountFigures> page = new ArrayList<>();
                    for (Row row : rows) {
                        var expiry = row.getOffsetDateTime("points_expire_at");
                        page.add(AccountFigures.of(Account.of(row), expiry == null ? null : expiry.toInstant()));
                    }
                    return page;
                });
    }

    private static List<Account> all(RowSet<Row> rows) {
        List<Account> accounts = new ArrayList<>();
        rows.forEach(row -> accounts.add(Account.of(row)));
        return accounts;
    }

    private static Account first(RowSet<Row> rows) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? Account.of(iterator.next()) : null;
    }
}
