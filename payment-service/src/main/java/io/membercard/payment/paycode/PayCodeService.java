package io.membercard.payment.paycode;

import java.math.BigDecimal;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.ApiResponse;
import io.membercard.common.api.StatusCode;
import io.membercard.common.idempotency.IdempotencyKey;
import io.membercard.common.idempotency.Idempotent;
import io.membercard.common.security.Operator;
import io.membercard.payment.account.AccountLedger;
import io.membercard.payment.card.Cards;
import io.membercard.payment.cardpay.CardPayService;
import io.membercard.payment.cardpay.PaymentRepository;
import io.membercard.payment.cardpay.RefundSerial;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Payments with a dynamic pay code: the customer shows a code from WeChat, the till charges it. The code stands
 * for the card (no MAC needed) and is spent by the payment that succeeds with it; a replay of the same order returns
 * the first result without looking at any code.
 */
@ApplicationScoped
public class PayCodeService {
    private final PayCodes codes;
    private final Cards cards;
    private final CardPayService cardPay;
    private final PaymentRepository payments;
    private final AccountLedger ledger;
    private final Pool pool;

    public PayCodeService(PayCodes codes, Cards cards, CardPayService cardPay, PaymentRepository payments,
            AccountLedger ledger, Pool pool) {
        this.codes = codes;
        this.cards = cards;
        this.cardPay = cardPay;
        this.payments = payments;
        this.ledger = ledger;
        this.pool = pool;
    }

    /** A new code for card {@code cardCode} of {@code tenantId}, if the card can pay. */
    public Uni<PayCodeIssued> issue(long tenantId, String cardCode) {
        return cards.byCodeForService(tenantId, cardCode).flatMap(card -> {
            card.requireUsable();
            return codes.issue(new PayCodes.Holder(tenantId, card.id(), card.code()))
                    .map(code -> new PayCodeIssued(code, card.code(), codes.ttlSeconds()));
        });
    }

    /** What a pay-code payment hashes: the order and the money (the code is spent, not part of the request). */
    record PayCodeCommand(String orderCode, BigDecimal money) {
    }

    /**
     * S1-24. A replay of the order answers its first result before the code is looked at. The code is reserved for
     * this order while it pays, spent when the payment succeeds and free again when it fails (605, say); another
     * tenant's code is left alone.
     */
    public Uni<Idempotent<PayCodeResult>> pay(Operator operator, Long shopId, PayCodeRequest request) {
        if (request.payCode() == null) {
            throw ApiException.badInput("payCode", "is required");
        }
        BigDecimal money = positive(request.money());
        String order = request.orderCode().trim();
        String code = request.payCode();
        IdempotencyKey key = IdempotencyKey.of(operator.tenantId(), "paycode", order, new PayCodeCommand(order, money));
        return ledger.tillOnce(operator, shopId, key, PayCodeResult.class, () -> codes.peek(code).flatMap(holder -> {
            if (holder == null || holder.tenantId() != operator.tenantId()) {
                return spentOrExpired(key);
            }
            return codes.claim(code, order).flatMap(claimed -> {
                if (!claimed) {
                    return spentOrExpired(key);
                }
                return cards.byCode(holder.cardCode())
                        .flatMap(card -> cardPay.payWith(operator, shopId, card.requireUsable(), order, money,
                                "pay code", code, key, PayCodeResult.class,
                                account -> new PayCodeResult(CardPayService.MEMBER_CARD, account.timestamp())))
                        .call(paid -> codes.spend(code, order).onFailure().recoverWithNull())
                        .onFailure().call(() -> codes.release(code, order).onFailure().recoverWithNull());
            });
        }));
    }

    /**
     * The code is gone or taken: the first result, if this very order's first attempt spent it a moment ago (a retry
     * racing it), else 606.
     */
    private Uni<Idempotent<PayCodeResult>> spentOrExpired(IdempotencyKey key) {
        return ledger.once(key, PayCodeResult.class, () -> Uni.createFrom().failure(expired()));
    }

    private static ApiException expired() {
        return new ApiException(StatusCode.CARD_PAY_CODE_EXPIRED,
                "the pay code expired or was used; ask the customer to show a new one");
    }

    /**
     * S1-25: gives back {@code money} of the order paid with a code (a card payment is refunded with its card,
     * S1-23), once per serial (see {@link RefundSerial}).
     */
    public Uni<Idempotent<PayCodeResult>> refund(Operator operator, Long shopId, PayCodeRequest request,
            String idempotencyKey) {
        BigDecimal money = positive(request.money());
        String order = request.orderCode().trim();
        IdempotencyKey key = RefundSerial.of(operator.tenantId(), "paycode-refund", idempotencyKey, null, order, money,
                new PayCodeCommand(order, money));
        return ledger.tillOnce(operator, shopId, key, PayCodeResult.class,
                () -> payments.findByBill(pool, operator.tenantId(), order)
                        .flatMap(payment -> {
                            if (payment == null || !payment.byPayCode()) {
                                return Uni.createFrom().failure(new ApiException(StatusCode.ORIGINAL_BILL_NOT_FOUND,
                                        "no pay-code payment with order code " + order));
                            }
                            return cards.byCode(payment.cardCode()).flatMap(card -> cardPay.refundWith(operator, shopId,
                                    card.requireUsable(), order, money, "pay code refund", key, PayCodeResult.class,
                                    account -> new PayCodeResult(CardPayService.MEMBER_CARD, account.timestamp())));
                        }));
    }

    /** S1-27: 701 with the payment when the order was paid, 703 when its state is unknown here. */
    public Uni<ApiResponse<PayCodeResult>> query(long tenantId, String orderCode) {
        return payments.findByBill(pool, tenantId, orderCode).map(payment -> payment == null
                ? new ApiResponse<>(StatusCode.PAYMENT_STATE_UNKNOWN.code(),
                        "no payment with order code " + orderCode, null)
                : new ApiResponse<>(StatusCode.PAYMENT_SUCCEEDED.code(), "paid",
                        new PayCodeResult(CardPayService.MEMBER_CARD, Long.toString(payment.versionAfter()))));
    }

    private static BigDecimal positive(BigDecimal value) {
        BigDecimal money = io.membercard.common.money.Money.required("money", value);
        if (money.signum() == 0) {
            throw ApiException.badInput("money", "must be more than 0");
        }
        return money;
    }
}
