package io.membercard.payment.recharge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.payment.account.Account;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Online recharge refunds and their states. Every query of a till's takes the tenant. */
@ApplicationScoped
public class OnlineRefundRepository {

    /**
     * Records the online part of refund entry {@code entryId}, pending. Its refund number belongs to the recharge's
     * payment ({@code RR<recharge>P<payment>}, {@code N<try>} after a failed one), so that whatever bill a till sends,
     * the channel is asked to pay that payment back once.
     */
    public Uni<Void> insert(SqlClient tx, Account account, long entryId, String billNo,
            RechargeRepository.RefundPayment part, String orderNo, long rechargeId, java.math.BigDecimal total,
            Long shopId, Duration firstCheck) {
        return tx.preparedQuery("""
                insert into online_refund (tenant_id, account_id, recharge_payment_id, entry_id, shop_id, bill_no,
                                           payment_type, order_no, refund_no, money, total, next_check_at)
                select $1, $2, $3, $4, $5, $6, $7, $8,
                       $9 || coalesce((select 'N' || (count(*) + 1) from online_refund
                                       where recharge_payment_id = $3 and state = 'FAILED' having count(*) > 0), ''),
                       $10, $11, now() + make_interval(secs => $12)""")
                .execute(Tuple.from(new Object[]{account.tenantId(), account.id(), part.rechargePaymentId(), entryId,
                        shopId, billNo, (short) part.paymentType(), orderNo,
                        "RR" + rechargeId + "P" + part.rechargePaymentId(), part.money(), total,
                        (double) firstCheck.toSeconds()}))
                .replaceWithVoid();
    }

    public Uni<OnlineRefundRecord> findByBill(SqlClient client, long tenantId, String billNo) {
        return client.preparedQuery("select " + OnlineRefundRecord.COLUMNS
                + " from online_refund where tenant_id = $1 and bill_no = $2")
                .execute(Tuple.of(tenantId, billNo)).map(OnlineRefundRepository::first);
    }

    /** {@code refund} as it stands now. */
    public Uni<OnlineRefundRecord> reload(SqlClient client, OnlineRefundRecord refund) {
        return client.preparedQuery("select " + OnlineRefundRecord.COLUMNS
                + " from online_refund where id = $1 and tenant_id = $2")
                .execute(Tuple.of(refund.id(), refund.tenantId())).map(OnlineRefundRepository::first);
    }

    public Uni<OnlineRefundRecord> findByRefundNo(SqlClient client, String refundNo) {
        return client.preparedQuery("select " + OnlineRefundRecord.COLUMNS
                + " from online_refund where refund_no = $1")
                .execute(Tuple.of(refundNo)).map(OnlineRefundRepository::first);
    }

    /** Whether the account has online refunds still pending (its money is promised to a channel). */
    public Uni<Boolean> pendingFor(SqlClient client, long tenantId, List<Long> accountIds) {
        return client.preparedQuery("""
                select exists (select 1 from online_refund where tenant_id = $1 and account_id = any($2)
                               and state = 'PENDING')""")
                .execute(Tuple.of(tenantId, accountIds.toArray(new Long[0])))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /**
     * Takes up to {@code limit} pending refunds due a check, and puts their next check {@code lease} away, so that
     * another instance does not check them meanwhile.
     */
    public Uni<List<OnlineRefundRecord>> claimDue(Pool pool, int limit, Duration lease) {
        return pool.preparedQuery("""
                update online_refund set next_check_at = now() + make_interval(secs => $2)
                where id in (select id from online_refund where state = 'PENDING' and next_check_at <= now()
                             order by next_check_at limit $1 for update skip locked)
                returning\s""" + OnlineRefundRecord.COLUMNS)
                .execute(Tuple.of(limit, (double) lease.toSeconds()))
                .map(rows -> {
                    List<OnlineRefundRecord> due = new ArrayList<>();
                    rows.forEach(row -> due.add(OnlineRefundRecord.of(row)));
                    return due;
                });
    }

    /** The channel has not settled it: asked again after {@code wait}. */
    public Uni<Void> stillPending(SqlClient client, OnlineRefundRecord refund, String channelStatus, Duration wait) {
        return client.preparedQuery("""
                update online_refund set attempts = attempts + 1, channel_status = $3,
                       next_check_at = now() + make_interval(secs => $4)
                where id = $1 and tenant_id = $2 and state = 'PENDING'""")
                .execute(Tuple.of(refund.id(), refund.tenantId(), channelStatus, (double) wait.toSeconds()))
                .replaceWithVoid();
    }

    /**
     * Ends the pending refund in {@code state} (SUCCEEDED or FAILED); answers whether this call ended it, not an
     * earlier one. In a transaction, the row stays locked until it ends, so that only one caller credits a failed
     * refund back to the card.
     */
    public Uni<Boolean> end(SqlClient client, OnlineRefundRecord refund, OnlineRefundRecord.State state,
            String channelStatus) {
        return client.preparedQuery("""
                update online_refund set state = $3, channel_status = $4, attempts = attempts + 1,
                       settled_at = now()
                where id = $1 and tenant_id = $2 and state = 'PENDING'""")
                .execute(Tuple.of(refund.id(), refund.tenantId(), state.name(), channelStatus))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> reversedBy(SqlClient tx, OnlineRefundRecord refund, long reversalEntryId) {
        return tx.preparedQuery("update online_refund set reversal_entry_id = $3 where id = $1 and tenant_id = $2")
                .execute(Tuple.of(refund.id(), refund.tenantId(), reversalEntryId)).replaceWithVoid();
    }

    private static OnlineRefundRecord first(RowSet<Row> rows) {
        return rows.iterator().hasNext() ? OnlineRefundRecord.of(rows.iterator().next()) : null;
    }
}
