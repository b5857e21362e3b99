package io.membercard.payment.recharge;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Recharges and how their money came in. Every query takes the tenant. */
@ApplicationScoped
public class RechargeRepository {

    public Uni<Void> insert(SqlClient tx, long tenantId, long accountId, long entryId, String code, Long planId,
            java.math.BigDecimal payMoney, java.math.BigDecimal giveMoney, List<RechargeRequest.Detail> details) {
        return tx.preparedQuery("""
                insert into recharge (tenant_id, account_id, entry_id, code, plan_id, pay_money, give_money)
                values ($1, $2, $3, $4, $5, $6, $7) returning id""")
                .execute(Tuple.from(new Object[]{tenantId, accountId, entryId, code, planId, payMoney, giveMoney}))
                .flatMap(rows -> {
                    long rechargeId = rows.iterator().next().getLong(0);
                    return Multi.createFrom().iterable(details)
                            .onItem().transformToUniAndConcatenate(detail -> tx.preparedQuery("""
                                    insert into recharge_payment (recharge_id, payment_type, money)
                                    values ($1, $2, $3)""")
                                    .execute(Tuple.of(rechargeId, detail.paymentType().shortValue(), detail.money())))
                            .collect().last().replaceWithVoid();
                });
    }

    public Uni<RechargeRecord> findByCode(SqlClient client, long tenantId, String code) {
        return find(client, "r.tenant_id = $1 and r.code = $2", Tuple.of(tenantId, code));
    }

    /** A refund of the recharge that stands (one whose online part was not paid back was undone). */
    private static final String REFUNDED = """
            exists (select 1 from ledger_entry e where e.ref_entry_id = r.entry_id and e.kind = 'RECHARGE_REFUND'
                    and not exists (select 1 from ledger_entry v where v.ref_entry_id = e.id
                                    and v.kind = 'RECHARGE_REFUND_REVERSED'))""";

    /** The account's latest recharge that was not refunded yet. */
    public Uni<RechargeRecord> latestRefundable(SqlClient client, long tenantId, long accountId) {
        return find(client, "r.tenant_id = $1 and r.account_id = $2 and not " + REFUNDED,
                Tuple.of(tenantId, accountId));
    }

    private Uni<RechargeRecord> find(SqlClient client, String where, Tuple params) {
        return client.preparedQuery("select r.id, r.entry_id, r.account_id, r.code, r.pay_money, r.give_money, "
                + REFUNDED + " as refunded from recharge r where " + where + " order by r.id desc limit 1")
                .execute(params)
                .flatMap(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().nullItem();
                    }
                    Row row = rows.iterator().next();
                    long id = row.getLong("id");
                    return client.preparedQuery("""
                            select id, payment_type, money from recharge_payment where recharge_id = $1 order by id""")
                            .execute(Tuple.of(id))
                            .map(payments -> new RechargeRecord(id, row.getLong("entry_id"), row.getLong("account_id"),
                                    row.getString("code"), row.getBigDecimal("pay_money"),
                                    row.getBigDecimal("give_money"), row.getBoolean("refunded"), payments(payments)));
                });
    }

    /** Records how a refund entry paid money back (per original payment, or by one type). */
    public Uni<Void> insertRefundPayments(SqlClient tx, long tenantId, long entryId, List<RefundPayment> payments) {
        return Multi.createFrom().iterable(payments)
                .onItem().transformToUniAndConcatenate(p -> tx.preparedQuery("""
                        insert into refund_payment (tenant_id, entry_id, recharge_payment_id, payment_type, money)
                        values ($1, $2, $3, $4, $5)""")
                        .execute(Tuple.of(tenantId, entryId, p.rechargePaymentId(), (short) p.paymentType(),
                                p.money())))
                .collect().last().replaceWithVoid();
    }

    /** The figures of recharge refund entry {@code entryId}, as the delta it was. */
    public Uni<io.membercard.payment.account.Delta> refundEntry(SqlClient tx, long tenantId, long entryId) {
        return tx.preparedQuery("""
                select bill_no, ref_entry_id, payment_type, actual_balance, give_balance, actual_recharge,
                       give_recharge, actual_expense, give_expense, total_points, used_points, expired_points, remark
                from ledger_entry where tenant_id = $1 and id = $2 and kind = 'RECHARGE_REFUND'""")
                .execute(Tuple.of(tenantId, entryId))
                .map(rows -> {
                    Row e = rows.iterator().next();
                    Short type = e.getShort("payment_type");
                    return new io.membercard.payment.account.Delta(
                            io.membercard.payment.account.EntryKind.RECHARGE_REFUND, e.getString("bill_no"),
                            e.getLong("ref_entry_id"), type == null ? null : type.intValue(),
                            e.getBigDecimal("actual_balance"), e.getBigDecimal("give_balance"),
                            e.getBigDecimal("actual_recharge"), e.getBigDecimal("give_recharge"),
                            e.getBigDecimal("actual_expense"), e.getBigDecimal("give_expense"),
                            e.getLong("total_points"), e.getLong("used_points"), e.getLong("expired_points"),
                            e.getString("remark"));
                });
    }

    /**
     * What recharge refund {@code refundEntryId} recorded, undone by entry {@code reversalEntryId}: what it paid back by
     * type is taken back (rows of minus that money), and the bonus it charged to payments is theirs again.
     */
    public Uni<Void> reverseRefund(SqlClient tx, long tenantId, long refundEntryId, long reversalEntryId) {
        return tx.preparedQuery("""
                insert into refund_payment (tenant_id, entry_id, recharge_payment_id, payment_type, money)
                select tenant_id, $3, recharge_payment_id, payment_type, -money from refund_payment
                where tenant_id = $1 and entry_id = $2""")
                .execute(Tuple.of(tenantId, refundEntryId, reversalEntryId))
                .flatMap(ignored -> tx
                        .preparedQuery("delete from bonus_charge where tenant_id = $1 and refund_entry_id = $2")
                        .execute(Tuple.of(tenantId, refundEntryId)))
                .replaceWithVoid();
    }

    /** Money a refund pays back by one payment type, against an original payment or not. */
    public record RefundPayment(Long rechargePaymentId, int paymentType, java.math.BigDecimal money) {
    }

    private static List<RechargeRecord.Payment> payments(RowSet<Row> rows) {
        List<RechargeRecord.Payment> payments = new ArrayList<>();
        for (Row row : rows) {
            payments.add(new RechargeRecord.Payment(row.getLong("id"), row.getInteger("payment_type"),
                    row.getBigDecimal("money")));
        }
        return payments;
    }
}
