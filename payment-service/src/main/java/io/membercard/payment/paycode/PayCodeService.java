package io.membercard.payment.paycode;

import java.math.BigDecimal;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.ApiResponse;
import io.membercard.common.api.StatusCode;
import io.membercard.common.idempotency.IdempotencyKey;
import io.membercard.common.idempotency.IdempotencyStore;
import io.membercard.common.idempotency.Idempotent;
import io.membercard.common.security.Operator;
import io.membercard.payment.card.CardCheck;
import io.membercard.payment.card.Cards;
import io.membercard.payment.cardpay.CardPayService;
import io.membercard.payment.cardpay.PaymentRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Payments with a dynamic pay code: the customer shows a code from WeChat, the till charges it. The code stands
 * for the card (no MAC needed) and is spent by the payment; a replay of the same order returns the first result
 * without spending another code.
 */
@ApplicationScoped
public class PayCodeService {
    private final PayCodes codes;
    private final Cards cards;
    private final CardPayService cardPay;
    private final PaymentRepository payments;
    private final IdempotencyStore idempotency;
    private final Pool pool;

    public PayCodeService(PayCodes codes, Cards cards, CardPayService cardPay, PaymentRepository payments,
            IdempotencyStore idempotency, Pool pool) {
        this.codes = codes;
        this.cards = cards;
        this.cardPay = cardPay;
        this.payments = payments;
        this.idempotency = idempotency;
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

    /** S1-24. */
    public Uni<Idempotent<PayCodeResult>> pay(Operator operator, Long shopId, PayCodeRequest request) {
        if (request.payCode() == null) {
            throw ApiException.badInput("payCode", "is required");
        }
        BigDecimal money = positive(request.money());
        String order = request.orderCode().trim();
        IdempotencyKey key = IdempotencyKey.of(operator.tenantId(), "paycode", order, new PayCodeCommand(order, money));
        return idempotency.find(pool, key, PayCodeResult.class).flatMap(done -> done != null
                ? Uni.createFrom().item(done)
                : codes.spend(request.payCode()).flatMap(holder -> {
                    if (holder == null || holder.tenantId() != operator.tenantId()) {
                        return Uni.createFrom().failure(new ApiException(StatusCode.CARD_PAY_CODE_EXPIRED,
                                "the pay code expired or was used; ask the customer to show a new one"));
                    }
                    return cards.byCode(holder.cardCode()).flatMap(card -> pay(operator, shopId, card.requireUsable(),
                            order, money, key));
                }));
    }

    private Uni<Idempotent<PayCodeResult>> pay(Operator operator, Long shopId, CardCheck card, String order,
            BigDecimal money, IdempotencyKey key) {
        return cardPay.payWith(operator, shopId, card, order, money, "pay code", key, PayCodeResult.class,
                account -> new PayCodeResult(CardPayService.MEMBER_CARD, account.timestamp()));
    }

    /** S1-25: gives back {@code money} of the order paid with a code. */
    public Uni<Idempotent<PayCodeResult>> refund(Operator operator, Long shopId, PayCodeRequest request,
            String idempotencyKey) {
        BigDecimal money = positive(request.money());
        String order = request.orderCode().trim();
        IdempotencyKey key = idempotencyKey == null
                ? null
                : IdempotencyKey.of(operator.tenantId(), "paycode-refund", idempotencyKey,
                        new PayCodeCommand(order, money));
        return payments.findByBill(pool, operator.tenantId(), order).flatMap(payment -> {
            if (payment == null) {
                return Uni.createFrom().failure(new ApiException(StatusCode.ORIGINAL_BILL_NOT_FOUND,
                        "no payment with order code " + order));
            }
            return cards.byCode(payment.cardCode()).flatMap(card -> cardPay.refundWith(operator, shopId,
                    card.requireUsable(), order, money, "pay code refund", key, PayCodeResult.class,
                    account -> new PayCodeResult(CardPayService.MEMBER_CARD, account.timestamp())));
        });
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
