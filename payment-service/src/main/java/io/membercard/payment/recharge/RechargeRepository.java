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

    /** The account's latest recharge that was not refunded yet. */
    public Uni<RechargeRecord> latestRefundable(SqlClient client, long tenantId, long accountId) {
        return find(client, """
                r.tenant_id = $1 and r.account_id = $2 and not exists (
                    select 1 from ledger_entry e where e.ref_entry_id = r.entry_id and e.kind = 'RECHARGE_REFUND')""",
                Tuple.of(tenantId, accountId));
    }

    private Uni<RechargeRecord> find(SqlClient client, String where, Tuple params) {
        return client.preparedQuery("""
                select r.id, r.entry_id, r.account_id, r.code, r.pay_money, r.give_money,
                       exists (select 1 from ledger_entry e where e.ref_entry_id = r.entry_id
                               and e.kind = 'RECHARGE_REFUND') as refunded
                from recharge r where\s""" + where + " order by r.id desc limit 1")
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
