package io.membercard.payment.shopday;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A shop's (or, without a shop, the tenant's) ledger between two instants, as one consistent snapshot saw it: what a
 * day close reports and checks. {@code snapshot} is that snapshot ({@code pg_snapshot} as text): an entry whose
 * transaction it did not see came after the close. Money is signed as it changed the stored value the customers
 * hold: a recharge adds, a payment takes.
 */
public record ShopDay(String snapshot, Instant firstEntryAt, long entries, List<Line> lines, List<Line> operations,
        List<KindTotal> kinds, List<Breach> breaches, List<Carried> carried,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<ShopTotal> shops,
        @JsonInclude(JsonInclude.Include.NON_NULL) Liability liability) {

    /**
     * The tenant's day (head office) by shop ({@code shopId} null: entries of no shop, such as points expiring):
     * the actual money the shop took in (recharges less what recharge refunds and card returns paid back) and the
     * actual money its tills took in card payments (less refunds): what shops settle between themselves.
     */
    public record ShopTotal(Long shopId, long entries, BigDecimal actualIn, BigDecimal actualSpent) {
    }

    /**
     * The stored value the tenant owes its customers, as the snapshot saw it: the accounts' sums ({@code accounts})
     * and the entries written from the day's end on ({@code after}); the liability at the day's end is the first
     * less the second.
     */
    public record Liability(Figures accounts, Figures after) {
    }

    /** Actual money, bonus and points. */
    public record Figures(BigDecimal actualMoney, BigDecimal giveMoney, long points) {
    }

    /**
    * One cell of the report: an operation by payment type ({@code lines}), or an operation's whole ({@code
    * operations}, {@code whole}, no payment type). {@code count} is how many entries have a part in it: a recharge
    * paid two ways counts on both types' lines and once in its operation. Points are signed as they changed the
    * accounts' points.
    */
    public record Line(String operation, Integer paymentType, @JsonIgnore boolean whole, long count, BigDecimal money,
            BigDecimal actualMoney,
            BigDecimal giveMoney, long points, long usedPoints, long expiredPoints) {
    }

    /** The ledger's own totals by entry kind, without any join: what the lines must add up to. */
    public record KindTotal(String kind, long count, BigDecimal actualMoney, BigDecimal giveMoney, long points,
            long usedPoints, long expiredPoints) {
    }

    /**
     * A rule the ledger breaks: {@code refundOverPayment} (a payment refunded beyond what it took),
     * {@code refundOverRecharge} (a recharge's payment paid back beyond what came in), {@code unpairedMove} (a
     * migration or replacement whose two sides do not cancel out), {@code typedPartsMismatch} (a recharge, recharge
     * refund or card return whose parts by payment type do not add up to the money it took in or paid back:
     * {@code original} is that money, {@code refunded} the parts' sum).
     */
    public record Breach(String rule, long entryId, String billNo, BigDecimal original, BigDecimal refunded) {
    }

    /** An item in doubt at the close: an online recharge refund the channel has not settled yet. */
    public record Carried(String type, String billNo, String cardCode, Integer paymentType, BigDecimal money,
            Instant since) {
    }
}
