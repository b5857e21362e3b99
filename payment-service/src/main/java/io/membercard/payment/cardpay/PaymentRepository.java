package io.membercard.payment.cardpay;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Payments by bill number, with their refunds so far. */
@ApplicationScoped
public class PaymentRepository {

    public Uni<PaymentRecord> findByBill(SqlClient client, long tenantId, String billNo) {
        return client.preparedQuery("""
                select p.id, p.account_id, a.card_id, a.card_code, p.version_after, p.actual_expense, p.give_expense,
                       p.total_points,
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
                    return new PaymentRecord(row.getLong("id"), row.getLong("account_id"), row.getLong("card_id"),
                            row.getString("card_code"), row.getLong("version_after"),
                            row.getBigDecimal("actual_expense"), row.getBigDecimal("give_expense"),
                            row.getLong("total_points"), row.getBigDecimal("refunded_actual"),
                            row.getBigDecimal("refunded_give"), row.getLong("reversed_points"));
                });
    }
}
