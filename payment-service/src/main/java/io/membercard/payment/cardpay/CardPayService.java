package io.membercard.payment.cardpay;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.idempotency.IdempotencyKey;
import io.membercard.common.idempotency.Idempotent;
import io.membercard.common.money.Money;
import io.membercard.common.security.Operator;
import io.membercard.payment.account.Account;
import io.membercard.payment.account.AccountLedger;
import io.membercard.payment.account.AccountRef;
import io.membercard.payment.account.AccountRepository;
import io.membercard.payment.account.Delta;
import io.membercard.payment.card.CardCheck;
import io.membercard.payment.card.Cards;
import io.membercard.payment.points.PointsBook;
import io.membercard.payment.settings.SplitOrder;
import io.membercard.payment.settings.TenantSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Card payments and their refunds. A payment takes from the actual and bonus balances in the tenant's order and
 * earns points by the card class's rules; a refund gives back to the parts the payment was taken from and takes
 * back its points in proportion. Both run through {@link AccountLedger}.
 */
@ApplicationScoped
public class CardPayService {
    /** 会员卡: the payment type of money paid with a member card. */
    public static final int MEMBER_CARD = 2;
    private static final Logger LOG = Logger.getLogger(CardPayService.class);

    private final Pool pool;
    private final Cards cards;
    private final AccountLedger ledger;
    private final AccountRepository accounts;
    private final PaymentRepository payments;
    private final TenantSettings settings;
    private final PointsBook points;

    public CardPayService(Pool pool, Cards cards, AccountLedger ledger, AccountRepository accounts,
            PaymentRepository payments, TenantSettings settings, PointsBook points) {
        this.pool = pool;
        this.cards = cards;
        this.ledger = ledger;
        this.accounts = accounts;
        this.payments = payments;
        this.settings = settings;
        this.points = points;
    }

    /** S1-20: the card, if {@code mac} is its secret, with its balance. */
    public Uni<CardInfo> info(long tenantId, String cardCode, String mac) {
        return cards.check(cardCode, mac).flatMap(card -> info(tenantId, card));
    }

    /** S1-21: the card whose secret is {@code mac}. */
    public Uni<CardInfo> infoByMac(long tenantId, String mac) {
        return cards.checkByMac(mac).flatMap(card -> info(tenantId, card));
    }

    private Uni<CardInfo> info(long tenantId, CardCheck card) {
        return accounts.findByCard(pool, tenantId, card.id())
                .map(account -> new CardInfo(card.code(), account == null ? Money.ZERO : account.balance(),
                        CardInfo.NO_DISCOUNT, card.canMemberPrice()));
    }

    /** What the payment commands hash: the money and the card, not the secret. */
    record PayCommand(String cardCode, BigDecimal money, String remark) {
    }

    /** S1-22: pays {@code money} with the card under bill number {@code code}. */
    public Uni<Idempotent<CardInfo>> pay(Operator operator, Long shopId, PayRequest request) {
        BigDecimal money = positive("money", request.money());
        String bill = request.code().trim();
        IdempotencyKey key = IdempotencyKey.of(operator.tenantId(), "cardpay", bill,
                new PayCommand(request.cardCode(), money, request.remark()));
        return ledger.tillOnce(operator, shopId, key, CardInfo.class, () -> cards
                .check(request.cardCode(), request.mac())
                .flatMap(card -> payWith(operator, shopId, card.requireUsable(), bill, money, request.remark(), null,
                        key, CardInfo.class, account -> new CardInfo(card.code(), account.balance(),
                                CardInfo.NO_DISCOUNT, card.canMemberPrice()))));
    }

    /**
     * Takes {@code money} from the card's account under bill number {@code bill} and earns its points; answers
     * {@code result} of the account after it. Shared by card payments and pay-code payments ({@code payCode}, which
     * the database lets pay once).
     */
    public <T> Uni<Idempotent<T>> payWith(Operator operator, Long shopId, CardCheck card, String bill,
            BigDecimal money, String remark, String payCode, IdempotencyKey key, Class<T> resultType,
            Function<Account, T> result) {
        AccountRef ref = new AccountRef(operator.tenantId(), card.id(), card.code());
        return ledger.change(operator, shopId, ref, key, null, resultType, posting -> settings
                .splitOrder(posting.tx(), operator.tenantId())
                .flatMap(order -> {
                    Account account = posting.account();
                    if (money.compareTo(account.balance()) > 0) {
                        return Uni.createFrom().failure(new ApiException(StatusCode.BALANCE_TOO_LOW,
                                "balance " + account.balance() + " is less than " + money));
                    }
                    SplitOrder.Split split = order.split(money, account.actualBalance(), account.giveBalance());
                    long earned = card.canPoint() && card.pointsBasic() > 0
                            ? money.divideToIntegralValue(BigDecimal.valueOf(card.pointsBasic())).longValue()
                            : 0;
                    return posting.post(Delta.payment(bill, MEMBER_CARD, split.actual(), split.give(), earned,
                            remark))
                            .call(posted -> payCode == null
                                    ? Uni.createFrom().voidItem()
                                    : payments.recordPayCode(posting.tx(), operator.tenantId(), posted.entryId(),
                                            payCode))
                            .flatMap(posted -> points.earn(posting, posted.entryId(), earned, card.pointsValidDays()))
                            .map(ignored -> {
                                LOG.infof("tenant %d card %s: paid %s (actual %s, bonus %s) bill %s", operator
                                        .tenantId(), card.code(), money, split.actual(), split.give(), bill);
                                return result.apply(posting.account());
                            });
                }));
    }

    /**
     * S1-23: gives back {@code money} of the payment with bill number {@code code}, once per serial (see
     * {@link RefundSerial}).
     */
    public Uni<Idempotent<CardInfo>> refund(Operator operator, Long shopId, PayRequest request,
            String idempotencyKey) {
        BigDecimal money = positive("money", request.money());
        String bill = request.code().trim();
        IdempotencyKey key = RefundSerial.of(operator.tenantId(), "cardpay-refund", idempotencyKey, request.id(), bill,
                money, new PayCommand(request.cardCode(), money, bill));
        return ledger.tillOnce(operator, shopId, key, CardInfo.class, () -> cards
                .check(request.cardCode(), request.mac())
                .flatMap(card -> refundWith(operator, shopId, card.requireUsable(), bill, money, request.remark(),
                        key, CardInfo.class, account -> new CardInfo(card.code(), account.balance(),
                                CardInfo.NO_DISCOUNT, card.canMemberPrice()))));
    }

    /**
     * Gives back {@code money} of payment {@code bill}: to the balances it came from, in its proportion, taking back
     * its points in proportion (as far as the card still has them). 802 when the card has no such payment, 803 when
     * more than what is left of it is asked for.
     */
    public <T> Uni<Idempotent<T>> refundWith(Operator operator, Long shopId, CardCheck card, String bill,
            BigDecimal money, String remark, IdempotencyKey key, Class<T> resultType, Function<Account, T> result) {
        AccountRef ref = new AccountRef(operator.tenantId(), card.id(), card.code());
        return ledger.change(operator, shopId, ref, key, null, resultType, posting -> payments
                .findByBill(posting.tx(), operator.tenantId(), bill)
                .flatMap(payment -> {
                    if (payment == null || payment.accountId() != posting.account().id()) {
                        return Uni.createFrom().failure(new ApiException(StatusCode.ORIGINAL_BILL_NOT_FOUND,
                                "card " + card.code() + " has no payment with bill number " + bill));
                    }
                    if (money.compareTo(payment.refundable()) > 0) {
                        return Uni.createFrom().failure(new ApiException(StatusCode.REFUND_TOO_LARGE,
                                "bill " + bill + " can be refunded " + payment.refundable() + " at most, not "
                                        + money));
                    }
                    SplitOrder.Split back = SplitOrder.refund(money, payment.takenActual(), payment.takenGive(),
                            payment.leftActual(), payment.leftGive());
                    long pointsBack = Math.min(pointsToTakeBack(payment, money), posting.account().actualPoints());
                    return posting.post(Delta.paymentRefund(bill, payment.entryId(), MEMBER_CARD, back.actual(),
                            back.give(), pointsBack, remark))
                            .flatMap(posted -> points.consume(posting, pointsBack, payment.entryId()))
                            .map(ignored -> result.apply(posting.account()));
                }));
    }

    /** Points to take back so that all refunds together took back the payment's points in proportion. */
    static long pointsToTakeBack(PaymentRecord payment, BigDecimal money) {
        if (payment.earnedPoints() == 0) {
            return 0;
        }
        BigDecimal refundedAfter = payment.taken().subtract(payment.refundable()).add(money);
        long target = payment.refundable().compareTo(money) == 0
                ? payment.earnedPoints()
                : BigDecimal.valueOf(payment.earnedPoints()).multiply(refundedAfter)
                        .divide(payment.taken(), 0, RoundingMode.HALF_UP).longValue();
        return Math.max(0, target - payment.reversedPoints());
    }

    static BigDecimal positive(String field, BigDecimal value) {
        BigDecimal money = Money.required(field, value);
        if (money.signum() == 0) {
            throw ApiException.badInput(field, "must be more than 0");
        }
        return money;
    }
}
