package io.membercard.payment.recharge;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
import io.membercard.payment.account.Posting;
import io.membercard.payment.card.CardCheck;
import io.membercard.payment.card.Cards;
import io.membercard.payment.online.OnlineRefund;
import io.membercard.payment.online.OnlineRefunds;
import io.membercard.payment.plan.RechargePlan;
import io.membercard.payment.plan.RechargePlanRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Recharges (充值) and recharge refunds (退充值). A recharge's {@code details} add up to what the customer pays; a
 * plan fixes the bonus, and without one only a manager may give a bonus. A refund undoes one recharge, once: its
 * bonus is taken back, bonus already spent is deducted from the money paid back, and the original-route form
 * never pays more back to a payment type than came in through it.
 */
@ApplicationScoped
public class RechargeService {
    private static final Logger LOG = Logger.getLogger(RechargeService.class);

    private final Pool pool;
    private final Cards cards;
    private final AccountLedger ledger;
    private final AccountRepository accounts;
    private final RechargeRepository recharges;
    private final RechargePlanRepository plans;
    private final OnlineRefunds onlineRefunds;

    public RechargeService(Pool pool, Cards cards, AccountLedger ledger, AccountRepository accounts,
            RechargeRepository recharges, RechargePlanRepository plans, OnlineRefunds onlineRefunds) {
        this.onlineRefunds = onlineRefunds;
        this.pool = pool;
        this.cards = cards;
        this.ledger = ledger;
        this.accounts = accounts;
        this.recharges = recharges;
        this.plans = plans;
    }

    /** What a recharge hashes: the amounts, the split and the plan, not the card's secret. */
    record RechargeCommand(String cardCode, BigDecimal payMoney, BigDecimal giveMoney, List<String> details,
            Long planId, String remark) {
    }

    /** S1-28. {@code serial} (the Idempotency-Key) becomes the recharge's code. */
    public Uni<Idempotent<Void>> recharge(Operator operator, boolean manager, Long shopId, String serial,
            RechargeRequest request) {
        BigDecimal pay = Money.required("payMoney", request.payMoney());
        if (pay.signum() == 0) {
            throw ApiException.badInput("payMoney", "must be more than 0");
        }
        BigDecimal paid = Money.ZERO;
        List<String> split = new ArrayList<>();
        for (int i = 0; i < request.details().size(); i++) {
            RechargeRequest.Detail detail = request.details().get(i);
            PaymentType.forCardMoney("details[" + i + "].paymentType", detail.paymentType());
            BigDecimal part = Money.required("details[" + i + "].money", detail.money());
            if (part.signum() == 0) {
                throw ApiException.badInput("details[" + i + "].money", "must be more than 0");
            }
            paid = paid.add(part);
            split.add(detail.paymentType() + ":" + part);
        }
        if (paid.compareTo(pay) != 0) {
            throw ApiException.badInput("details", "add up to " + paid + " but payMoney is " + pay);
        }
        BigDecimal askedGive = Money.of("giveMoney", request.giveMoney());
        Uni<BigDecimal> give = request.planId() == null
                ? Uni.createFrom().item(() -> bonusWithoutPlan(manager, askedGive))
                : plans.find(pool, operator.tenantId(), request.planId())
                        .map(plan -> bonusOfPlan(plan, request.planId(), pay, askedGive));
        return give.flatMap(bonus -> {
            BigDecimal total = Money.of("money", pay.add(bonus));
            if (request.money() != null && request.money().compareTo(total) != 0) {
                throw ApiException.badInput("money", "must be payMoney + giveMoney = " + total);
            }
            IdempotencyKey key = IdempotencyKey.of(operator.tenantId(), "recharge", serial,
                    new RechargeCommand(request.cardCode(), pay, bonus, split, request.planId(), request.remark()));
            return cards.check(request.cardCode(), request.mac()).flatMap(found -> {
                CardCheck card = found.requireUsable();
                if (!card.canRecharge()) {
                    throw new ApiException(StatusCode.CARD_UNUSABLE,
                            "cards of class " + card.cardClassName() + " cannot be recharged");
                }
                Integer type = request.details().size() == 1 ? request.details().get(0).paymentType() : null;
                return ledger.change(operator, shopId, ref(operator, card), key, request.timestamp(), Void.class,
                        posting -> posting.post(Delta.recharge(serial, type, pay, bonus, request.remark()))
                                .flatMap(posted -> recharges.insert(posting.tx(), operator.tenantId(),
                                        posting.account().id(), posted.entryId(), serial, request.planId(), pay, bonus,
                                        request.details()))
                                .invoke(() -> LOG.infof("tenant %d card %s: recharged %s + bonus %s as %s",
                                        operator.tenantId(), card.code(), pay, bonus, serial))
                                .replaceWith((Void) null));
            });
        });
    }

    private static BigDecimal bonusWithoutPlan(boolean manager, BigDecimal askedGive) {
        if (askedGive != null && askedGive.signum() > 0 && !manager) {
            throw ApiException.forbidden("only a manager may give a bonus without a recharge plan");
        }
        return askedGive == null ? Money.ZERO : askedGive;
    }

    private static BigDecimal bonusOfPlan(RechargePlan plan, long planId, BigDecimal pay, BigDecimal askedGive) {
        if (plan == null || !plan.usableAt(Instant.now())) {
            throw ApiException.badInput("planId", "no recharge plan " + planId + " in use now");
        }
        int compared = pay.compareTo(plan.payMoney());
        if (compared < 0 || (compared > 0 && !plan.moneyModifiable())) {
            throw ApiException.badInput("payMoney", "plan " + plan.name() + " takes " + plan.payMoney()
                    + (plan.moneyModifiable() ? " or more" : ""));
        }
        if (askedGive != null && askedGive.compareTo(plan.giveMoney()) != 0) {
            throw ApiException.badInput("giveMoney", "plan " + plan.name() + " gives " + plan.giveMoney());
        }
        return plan.giveMoney();
    }

    /**
     * Undoing {@code recharge} from {@code account} now: the customer should end as if it never happened. The
     * unspent bonus ({@code giveBack}) leaves the card; the bonus already spent is charged to the recharge's
     * actual money ({@code spentBonus}, at most what is left of it); the rest of that money is paid back
     * ({@code payBack}).
     */
    record Quote(BigDecimal payBack, BigDecimal giveBack, BigDecimal spentBonus) {
        /** All that leaves the card. */
        BigDecimal total() {
            return payBack.add(giveBack).add(spentBonus);
        }

        /** The bonus taken back, unspent or charged. */
        BigDecimal bonus() {
            return giveBack.add(spentBonus);
        }
    }

    static Quote quote(RechargeRecord recharge, Account account) {
        BigDecimal giveBack = recharge.giveMoney().min(account.giveBalance());
        BigDecimal actual = recharge.payMoney().min(account.actualBalance());
        BigDecimal spentBonus = recharge.giveMoney().subtract(giveBack).min(actual);
        return new Quote(actual.subtract(spentBonus), giveBack, spentBonus);
    }

    /** S1-16 and S1-17: what refunding the card's latest refundable recharge would pay back. */
    public Uni<RechargeRefundView> quote(long tenantId, String cardCode, boolean byOriginalRoute) {
        return cards.byCode(cardCode).flatMap(card -> accounts.findByCard(pool, tenantId, card.id())
                .flatMap(account -> {
                    if (account == null) {
                        return Uni.createFrom().failure(noRecharge(cardCode));
                    }
                    return recharges.latestRefundable(pool, tenantId, account.id()).map(recharge -> {
                        if (recharge == null) {
                            throw noRecharge(cardCode);
                        }
                        Quote quote = quote(recharge, account);
                        Integer type = recharge.payments().size() == 1
                                ? recharge.payments().get(0).paymentType()
                                : null;
                        List<RechargeRefundView.Detail> details = byOriginalRoute
                                ? originalRoute(recharge, quote.payBack())
                                : null;
                        return new RechargeRefundView(byOriginalRoute ? account.timestamp() : null,
                                byOriginalRoute ? quote.payBack() : null, details, card.code(), "", type,
                                recharge.code(), quote.total(), quote.payBack(), quote.bonus(), "",
                                account.timestamp(), "", null, recharge.id());
                    });
                }));
    }

    /** {@code payBack} allotted to the recharge's payments in their order, none above what came in by it. */
    static List<RechargeRefundView.Detail> originalRoute(RechargeRecord recharge, BigDecimal payBack) {
        List<RechargeRefundView.Detail> details = new ArrayList<>();
        BigDecimal left = payBack;
        for (RechargeRecord.Payment payment : recharge.payments()) {
            BigDecimal part = left.min(payment.money());
            details.add(new RechargeRefundView.Detail(payment.id(), payment.paymentType(),
                    PaymentType.of(payment.paymentType()).displayName(), part, payment.id()));
            left = left.subtract(part);
        }
        return details;
    }

    /** How a recharge refund pays back: by one payment type (S1-30), along the original types (S1-31), or so and
     * through the online channel of its WeChat or Alipay part (S1-26). */
    public enum Route {
        BY_TYPE, ORIGINAL, ONLINE
    }

    /** S1-30, S1-31 and S1-26. */
    public Uni<Idempotent<RefundResult>> refund(Operator operator, Long shopId, RechargeRefundRequest request,
            Route route) {
        boolean byOriginalRoute = route != Route.BY_TYPE;
        if (!byOriginalRoute) {
            PaymentType.forCardMoney("paymentType", request.paymentType());
        } else if (request.details() == null || request.details().isEmpty()) {
            throw ApiException.badInput("details", "are required: the money back by original payment");
        }
        String bill = request.billNo().trim();
        IdempotencyKey key = IdempotencyKey.of(operator.tenantId(), "recharge-refund", bill,
                new RefundCommand(route.name(), request.cardCode(), request.rechargeCode(), request.paymentType(),
                        request.payMoney(), request.giveMoney(), request.refundMoney(),
                        request.details() == null
                                ? List.of()
                                : request.details().stream().map(d -> d.recordId() + ":" + d.money()).toList(),
                        request.remark()));
        return cards.check(request.cardCode(), request.mac()).flatMap(card -> ledger.change(operator, shopId,
                ref(operator, card.requireUsable()), key, request.timestamp(), RefundResult.class,
                posting -> recharges.findByCode(posting.tx(), operator.tenantId(), request.rechargeCode())
                        .flatMap(recharge -> refundRecharge(posting, request, recharge, route))));
    }

    record RefundCommand(String route, String cardCode, String rechargeCode, Integer paymentType, BigDecimal payMoney,
            BigDecimal giveMoney, BigDecimal refundMoney, List<String> details, String remark) {
    }

    private Uni<RefundResult> refundRecharge(Posting posting, RechargeRefundRequest request, RechargeRecord recharge,
            Route route) {
        boolean byOriginalRoute = route != Route.BY_TYPE;
        Account account = posting.account();
        if (recharge == null || recharge.accountId() != account.id()) {
            return Uni.createFrom().failure(new ApiException(StatusCode.ORIGINAL_BILL_NOT_FOUND,
                    "card " + account.cardCode() + " has no recharge " + request.rechargeCode()));
        }
        if (recharge.refunded()) {
            return Uni.createFrom().failure(new ApiException(StatusCode.REFUND_TOO_LARGE,
                    "recharge " + recharge.code() + " was already refunded"));
        }
        Quote quote = quote(recharge, account);
        if (quote.payBack().signum() == 0 && quote.giveBack().signum() == 0) {
            return Uni.createFrom().failure(new ApiException(StatusCode.REFUND_TOO_LARGE,
                    "nothing of recharge " + recharge.code() + " is left on the card to refund"));
        }
        checkAsked("payMoney", request.payMoney(), quote.payBack(), recharge);
        checkAsked("refundMoney", request.refundMoney(), quote.payBack(), recharge);
        checkAsked("giveMoney", request.giveMoney(), quote.bonus(), recharge);
        checkAsked("money", request.money(), quote.total(), recharge);
        List<RechargeRepository.RefundPayment> paidBack = byOriginalRoute
                ? alongOriginalRoute(request.details(), recharge, quote.payBack())
                : List.of(new RechargeRepository.RefundPayment(null, request.paymentType(), quote.payBack()));
        Integer type = byOriginalRoute ? null : request.paymentType();
        RechargeRepository.RefundPayment online = route == Route.ONLINE ? onlinePart(paidBack) : null;
        Uni<Void> channel = online == null
                ? Uni.createFrom().voidItem()
                : onlineRefunds.refund(online.paymentType(), new OnlineRefund(recharge.code(),
                        request.billNo().trim() + "-" + online.rechargePaymentId(), online.money(),
                        originalMoney(recharge, online.rechargePaymentId())));
        return channel.flatMap(sent -> posting
                .post(Delta.rechargeRefund(request.billNo().trim(), recharge.entryId(), type, quote.payBack(),
                        quote.giveBack(), quote.spentBonus(), request.remark()))
                .flatMap(posted -> recharges.insertRefundPayments(posting.tx(), account.tenantId(), posted.entryId(),
                        paidBack))
                .invoke(() -> LOG.infof("tenant %d card %s: recharge %s refunded %s, bonus %s taken back",
                        account.tenantId(), account.cardCode(), recharge.code(), quote.payBack(), quote.bonus())))
                .map(ignored -> new RefundResult(online == null ? type : Integer.valueOf(online.paymentType()),
                        posting.account().timestamp()));
    }

    /**
     * The one part of an online refund that goes back through WeChat Pay or Alipay. One per call: a second online
     * part could fail after the first was paid back, with nothing to show for it on the card.
     */
    private static RechargeRepository.RefundPayment onlinePart(List<RechargeRepository.RefundPayment> parts) {
        List<RechargeRepository.RefundPayment> online = parts.stream()
                .filter(p -> OnlineRefunds.isOnline(p.paymentType()) && p.money().signum() > 0).toList();
        if (online.isEmpty()) {
            throw ApiException.badInput("details", "have no WeChat or Alipay part: use refundoriginal");
        }
        if (online.size() > 1) {
            throw ApiException.badInput("details", "refundonline sends back one online part (WeChat or Alipay) "
                    + "at a time");
        }
        return online.get(0);
    }

    private static BigDecimal originalMoney(RechargeRecord recharge, long rechargePaymentId) {
        return recharge.payments().stream().filter(p -> p.id() == rechargePaymentId).findFirst()
                .map(RechargeRecord.Payment::money).orElseThrow();
    }

    /** An amount the client sent must be the refund's: above it is 803, below or otherwise 400. */
    private static void checkAsked(String field, BigDecimal asked, BigDecimal actual, RechargeRecord recharge) {
        if (asked == null) {
            return;
        }
        int compared = asked.compareTo(actual);
        if (compared > 0) {
            throw new ApiException(StatusCode.REFUND_TOO_LARGE, field + " " + asked + " is more than the refund of "
                    + "recharge " + recharge.code() + ": " + actual);
        }
        if (compared < 0) {
            throw ApiException.badInput(field, "the refund of recharge " + recharge.code() + " is " + actual
                    + " (see getrefund)");
        }
    }

    private static List<RechargeRepository.RefundPayment> alongOriginalRoute(List<RechargeRefundRequest.Detail> asked,
            RechargeRecord recharge, BigDecimal payBack) {
        Map<Long, RechargeRecord.Payment> byId = new HashMap<>();
        recharge.payments().forEach(p -> byId.put(p.id(), p));
        Map<Long, BigDecimal> perPayment = new HashMap<>();
        BigDecimal total = Money.ZERO;
        for (int i = 0; i < asked.size(); i++) {
            RechargeRefundRequest.Detail detail = asked.get(i);
            RechargeRecord.Payment original = byId.get(detail.recordId());
            if (original == null) {
                throw ApiException.badInput("details[" + i + "].recordId",
                        "is not a payment of recharge " + recharge.code());
            }
            BigDecimal money = Money.required("details[" + i + "].money", detail.money());
            BigDecimal sum = perPayment.getOrDefault(original.id(), Money.ZERO).add(money);
            if (sum.compareTo(original.money()) > 0) {
                throw new ApiException(StatusCode.REFUND_TOO_LARGE, "details[" + i + "]: " + sum + " back by "
                        + PaymentType.of(original.paymentType()).displayName() + " is more than the "
                        + original.money() + " that came in by it");
            }
            perPayment.put(original.id(), sum);
            total = total.add(money);
        }
        if (total.compareTo(payBack) != 0) {
            throw ApiException.badInput("details", "add up to " + total + " but the refund of recharge "
                    + recharge.code() + " pays back " + payBack);
        }
        List<RechargeRepository.RefundPayment> payments = new ArrayList<>();
        perPayment.forEach((id, money) -> payments.add(new RechargeRepository.RefundPayment(id,
                byId.get(id).paymentType(), money)));
        return payments;
    }

    private static AccountRef ref(Operator operator, CardCheck card) {
        return new AccountRef(operator.tenantId(), card.id(), card.code());
    }

    private static ApiException noRecharge(String cardCode) {
        return new ApiException(StatusCode.ORIGINAL_BILL_NOT_FOUND, "card " + cardCode + " has no recharge to refund");
    }
}
