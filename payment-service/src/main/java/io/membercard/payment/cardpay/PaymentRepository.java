package io.membercard.payment.cardpay;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Payments by bill number, with their refunds so far and the bonus recharge refunds charged to them; which were
 * paid with a pay code; the bonus each payment still holds.
 */
@ApplicationScoped
public class PaymentRepository {

    /**
     * The payment with bill number {@code billNo}. Bonus a recharge refund charged to the customer's own money counts
     * as taken from the actual balance: a refund gives it back as the customer's money, never as bonus again.
     */
    public Uni<PaymentRecord> findByBill(SqlClient client, long tenantId, String billNo) {
        return client.preparedQuery("""
                select p.id, p.account_id, a.card_id, a.card_code, p.version_after, p.actual_expense, p.give_expense,
                       p.total_points,
                       coalesce((select sum(c.amount) from bonus_charge c where c.payment_entry_id = p.id), 0)
                           as charged,
                       exists (select 1 from pay_code_payment c where c.entry_id = p.id) as by_pay_code,
                       coalesce(sum(r.actual_balance), 0) as refunded_actual,
                       coalesce(sum(r.give_balance), 0) as refunded_give,
                       coalesce(-sum(r.total_points), 0) as reversed_points
                from ledger_entry p
                join account a on a.id = p.account_id
                left join ledger_entry r on r.ref_entry_id = p.id and r.kind = 'PAYMENT_REFUND'
                where p.tenant_id = $1 and p.bill_no = $2 and p.kind = 'PAYMENT'
                group by p.id, a.card_id, a.card_code""")
                .execute(Tuple.of(tenantId, billNo))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    BigDecimal charged = row.getBigDecimal("charged");
                    return new PaymentRecord(row.getLong("id"), row.getLong("account_id"), row.getLong("card_id"),
                            row.getString("card_code"), row.getLong("version_after"),
                            row.getBigDecimal("actual_expense").add(charged),
                            row.getBigDecimal("give_expense").subtract(charged), row.getLong("total_points"),
                            row.getBigDecimal("refunded_actual"), row.getBigDecimal("refunded_give"),
                            row.getLong("reversed_points"), row.getBoolean("by_pay_code"));
                });
    }

    /** Records that payment {@code entryId} was made with {@code payCode}; a code pays once per tenant. */
    public Uni<Void> recordPayCode(SqlClient tx, long tenantId, long entryId, String payCode) {
        return tx.preparedQuery("insert into pay_code_payment (entry_id, tenant_id, pay_code) values ($1, $2, $3)")
                .execute(Tuple.of(entryId, tenantId, payCode)).replaceWithVoid();
    }

    /** A payment of the account and the bonus it holds still: taken from the bonus, not refunded, not charged. */
    public record BonusHeld(long entryId, BigDecimal bonus) {
    }

    /** The account's payments that still hold bonus, newest first. */
    public Uni<List<BonusHeld>> bonusHeld(SqlClient tx, long tenantId, long accountId) {
        return tx.preparedQuery("""
                select p.id, p.give_expense
                       - coalesce((select sum(r.give_balance) from ledger_entry r
                                   where r.ref_entry_id = p.id and r.kind = 'PAYMENT_REFUND'), 0)
                       - coalesce((select sum(c.amount) from bonus_charge c where c.payment_entry_id = p.id), 0)
                       as held
                from ledger_entry p
                where p.tenant_id = $1 and p.account_id = $2 and p.kind = 'PAYMENT' and p.give_expense > 0
                order by p.id desc""")
                .execute(Tuple.of(tenantId, accountId))
                .map(rows -> {
                    List<BonusHeld> held = new ArrayList<>();
                    for (Row row : rows) {
                        if (row.getBigDecimal("held").signum() > 0) {
                            held.add(new BonusHeld(row.getLong("id"), row.getBigDecimal("held")));
                        }
                    }
                    return held;
                });
    }

    /** Records the bonus recharge refund {@code refundEntryId} charged to each payment. */
    public Uni<Void> recordBonusCharges(SqlClient tx, long tenantId, long refundEntryId, List<BonusHeld> charges) {
        if (charges.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                insert into bonus_charge (tenant_id, payment_entry_id, refund_entry_id, amount)
                select $1, c.entry_id, $2, c.amount from unnest($3::bigint[], $4::numeric[]) as c(entry_id, amount)""")
                .execute(Tuple.of(tenantId, refundEntryId, charges.stream().map(BonusHeld::entryId)
                        .toArray(Long[]::new), charges.stream().map(BonusHeld::bonus).toArray(BigDecimal[]::new)))
                .replaceWithVoid();
    }
}
