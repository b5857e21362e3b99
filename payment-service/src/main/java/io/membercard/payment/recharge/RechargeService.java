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
import io.membercard.payment.cardpay.PaymentRepository;
import io.membercard.payment.online.OnlineRefundException;
import io.membercard.payment.online.OnlineRefunds;
import io.membercard.payment.plan.RechargePlan;
import io.membercard.payment.plan.RechargePlanRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Recharges (充值) and recharge refunds (退充值). A recharge's {@code details} add up to what the customer pays; a
 * plan fixes the bonus, and without one only a manager may give a bonus. A refund undoes one recharge, once: its
 * unspent bonus is taken back, bonus already spent is charged to the money paid back (and to the payments that spent
 * it, so that refunding them later gives back the customer's money, never the bonus), and no payment type is paid
 * back more than came in by it.
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
    private final PaymentRepository payments;
    private final OnlineRefunds channels;
    private final OnlineRefundRepository onlineRefunds;
    private final OnlineRefundSettlement settlement;

    public RechargeService(Pool pool, Cards cards, AccountLedger ledger, AccountRepository accounts,
            RechargeRepository recharges, RechargePlanRepository plans, PaymentRepository payments,
            OnlineRefunds channels, OnlineRefundRepository onlineRefunds, OnlineRefundSettlement settlement) {
        this.pool = pool;
        this.cards = cards;
        this.ledger = ledger;
        this.accounts = accounts;
        this.recharges = recharges;
        this.plans = plans;
        this.payments = payments;
        this.channels = channels;
        this.onlineRefunds = onlineRefunds;
        this.settlement = settlement;
    }

    /**
     * What a recharge hashes: what the till sent (amounts, split, plan), not the card's secret and not what the
     * server derives from it, so that a replay matches its first attempt even after the plan was edited.
     */
    record RechargeCommand(String cardCode, BigDecimal money, BigDecimal payMoney, BigDecimal giveMoney,
            List<String> details, Long planId, String remark) {
    }

    /**
     * S1-28. {@code serial} (the Idempotency-Key) becomes the recharge's code. {@code money} is the principal and
     * equals {@code payMoney} (the contract's reading); {@code payMoney} + {@code giveMoney} is understood too.
     */
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
        BigDecimal askedMoney = Money.of("money", request.money());
        IdempotencyKey key = IdempotencyKey.of(operator.tenantId(), "recharge", serial, new RechargeCommand(
                request.cardCode(), askedMoney, pay, askedGive, split, request.planId(), request.remark()));
        return ledger.tillOnce(operator, shopId, key, Void.class, () -> {
            Uni<BigDecimal> give = request.planId() == null
                    ? Uni.createFrom().item(() -> bonusWithoutPlan(manager, askedGive))
                    : plans.find(pool, operator.tenantId(), request.planId())
                            .map(plan -> bonusOfPlan(plan, request.planId(), pay, askedGive));
            return give.flatMap(bonus -> {
                checkMoney(askedMoney, pay, bonus);
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
                                            posting.account().id(), posted.entryId(), serial, request.planId(), pay,
                                            bonus, request.details()))
                                    .invoke(() -> LOG.infof("tenant %d card %s: recharged %s + bonus %s as %s",
                                            operator.tenantId(), card.code(), pay, bonus, serial))
                                    .replaceWith((Void) null));
                });
            });
        });
    }

    /** {@code money}, when sent, is the principal ({@code payMoney}), or what lands on the card (pay + give). */
    private static void checkMoney(BigDecimal money, BigDecimal pay, BigDecimal give) {
        if (money != null && money.compareTo(pay) != 0 && money.compareTo(pay.add(give)) != 0) {
            throw ApiException.badInput("money", "must be payMoney (" + pay + ")"
                    + (give.signum() > 0 ? ", or payMoney + giveMoney (" + pay.add(give) + ")" : ""));
        }
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
     * unspent bonus ({@code giveBack}) leaves the card; the bonus already spent ({@code spentBonus}) is charged to the
     * recharge's actual money; the rest of that money, as far as it is still on the card, is paid back
     * ({@code payBack}). {@code covered} is false when the card's money cannot pay for the bonus spent: the payments
     * must be refunded first.
     */
    record Quote(BigDecimal payBack, BigDecimal giveBack, BigDecimal spentBonus, boolean covered) {
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
        BigDecimal spentBonus = recharge.giveMoney().subtract(giveBack);
        boolean covered = spentBonus.compareTo(actual) <= 0;
        return covered
                ? new Quote(actual.subtract(spentBonus), giveBack, spentBonus, true)
                : new Quote(Money.ZERO, giveBack, spentBonus, false);
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
                        Quote quote = refundable(quote(recharge, account), recharge);
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

    /** The quote, if the recharge can be refunded now: 803 when nothing is left of it, or its bonus spent exceeds it. */
    private static Quote refundable(Quote quote, RechargeRecord recharge) {
        if (!quote.covered()) {
            throw new ApiException(StatusCode.REFUND_TOO_LARGE, "the " + quote.spentBonus() + " of recharge "
                    + recharge.code() + "'s bonus already spent is more than its money left on the card: refund those"
                    + " payments first");
        }
        if (quote.payBack().signum() == 0 && quote.giveBack().signum() == 0) {
            throw new ApiException(StatusCode.REFUND_TOO_LARGE,
                    "nothing of recharge " + recharge.code() + " is left on the card to refund");
        }
        return quote;
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

    /**
     * How a recharge refund pays back: by one payment type (S1-30), along the original types (S1-31), or so and
     * through the online channel of its WeChat or Alipay part (S1-26).
     */
    public enum Route {
        BY_TYPE, ORIGINAL, ONLINE
    }

    record RefundCommand(String route, String cardCode, String rechargeCode, Integer paymentType, BigDecimal payMoney,
            BigDecimal giveMoney, BigDecimal refundMoney, List<String> details, String remark) {
    }

    /**
     * S1-30, S1-31 and S1-26, once per {@code billNo}. The online form commits the refund (the card no longer holds
     * the money) before its part goes to the channel; its answer is the refund's state then: 200 paid back, 703
     * pending (asked again with the same {@code billNo}, or settled by the check job), 702 refused (the money is back
     * on the card).
     */
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
        Uni<Idempotent<RefundResult>> refunded = ledger.tillOnce(operator, shopId, key, RefundResult.class,
                () -> cards.check(request.cardCode(), request.mac()).flatMap(card -> ledger.change(operator, shopId,
                        ref(operator, card.requireUsable()), key, request.timestamp(), RefundResult.class,
                        posting -> recharges.findByCode(posting.tx(), operator.tenantId(), request.rechargeCode())
                                .flatMap(recharge -> refundRecharge(posting, request, recharge, route)))));
        if (route != Route.ONLINE) {
            return refunded;
        }
        return refunded.flatMap(done -> onlineRefunds.findByBill(pool, operator.tenantId(), bill)
                .flatMap(online -> online == null
                        ? Uni.createFrom().item(done)
                        : settlement.settleIfPending(online).map(now -> answer(now, done))));
    }

    /** The online refund's state as the till's answer. */
    private static Idempotent<RefundResult> answer(OnlineRefundRecord online, Idempotent<RefundResult> done) {
        String channel = OnlineRefunds.channel(online.paymentType());
        return switch (online.state()) {
            case SUCCEEDED -> done;
            case FAILED -> throw OnlineRefundException.refused(channel, online.money(), online.channelStatus());
            case PENDING -> throw OnlineRefundException.pending(channel, online.money(), online.channelStatus());
        };
    }

    private Uni<RefundResult> refundRecharge(Posting posting, RechargeRefundRequest request, RechargeRecord recharge,
            Route route) {
        Account account = posting.account();
        if (recharge == null || recharge.accountId() != account.id()) {
            return Uni.createFrom().failure(new ApiException(StatusCode.ORIGINAL_BILL_NOT_FOUND,
                    "card " + account.cardCode() + " has no recharge " + request.rechargeCode()));
        }
        if (recharge.refunded()) {
            return Uni.createFrom().failure(new ApiException(StatusCode.REFUND_TOO_LARGE,
                    "recharge " + recharge.code() + " was already refunded"));
        }
        Quote quote = refundable(quote(recharge, account), recharge);
        checkAsked("payMoney", request.payMoney(), quote.payBack(), recharge);
        checkAsked("refundMoney", request.refundMoney(), quote.payBack(), recharge);
        checkAsked("giveMoney", request.giveMoney(), quote.bonus(), recharge);
        checkAsked("money", request.money(), quote.total(), recharge);
        List<RechargeRepository.RefundPayment> paidBack = route == Route.BY_TYPE
                ? byType(request.paymentType(), recharge, quote.payBack())
                : alongOriginalRoute(request.details(), recharge, quote.payBack());
        Integer type = route == Route.BY_TYPE ? request.paymentType() : null;
        RechargeRepository.RefundPayment online = route == Route.ONLINE ? onlinePart(paidBack) : null;
        if (online != null && !channels.configured(online.paymentType())) {
            return Uni.createFrom().failure(OnlineRefundException.notConfigured(
                    OnlineRefunds.channel(online.paymentType())));
        }
        String bill = request.billNo().trim();
        return posting.post(Delta.rechargeRefund(bill, recharge.entryId(), type, quote.payBack(), quote.giveBack(),
                quote.spentBonus(), request.remark()))
                .call(posted -> recharges.insertRefundPayments(posting.tx(), account.tenantId(), posted.entryId(),
                        paidBack))
                .call(posted -> chargeSpentBonus(posting, posted.entryId(), quote.spentBonus(), recharge))
                .call(posted -> online == null
                        ? Uni.createFrom().voidItem()
                        : onlineRefunds.insert(posting.tx(), account, posted.entryId(), bill, online, recharge.code(),
                                recharge.id(), originalMoney(recharge, online.rechargePaymentId()),
                                posting.shopId(), settlement.firstCheck()))
                .invoke(() -> LOG.infof("tenant %d card %s: recharge %s refunded %s, bonus %s taken back%s",
                        account.tenantId(), account.cardCode(), recharge.code(), quote.payBack(), quote.bonus(),
                        online == null
                                ? ""
                                : ", " + online.money() + " through " + OnlineRefunds.channel(
                                        online.paymentType()) + " pending"))
                .map(ignored -> new RefundResult(online == null ? type : Integer.valueOf(online.paymentType()),
                        posting.account().timestamp()));
    }

    /**
     * Charges the bonus the customer already spent to the payments that spent it, newest first: refunding one of
     * them later gives back the customer's own money, never the refunded recharge's bonus.
     */
    private Uni<Void> chargeSpentBonus(Posting posting, long refundEntryId, BigDecimal spentBonus,
            RechargeRecord recharge) {
        if (spentBonus.signum() == 0) {
            return Uni.createFrom().voidItem();
        }
        Account account = posting.account();
        return payments.bonusHeld(posting.tx(), account.tenantId(), account.id()).flatMap(held -> {
            List<PaymentRepository.BonusHeld> charges = new ArrayList<>();
            BigDecimal left = spentBonus;
            for (PaymentRepository.BonusHeld payment : held) {
                if (left.signum() == 0) {
                    break;
                }
                BigDecimal charge = left.min(payment.bonus());
                charges.add(new PaymentRepository.BonusHeld(payment.entryId(), charge));
                left = left.subtract(charge);
            }
            if (left.signum() > 0) {
                return Uni.createFrom().failure(new ApiException(StatusCode.REFUND_TOO_LARGE, "the bonus of "
                        + "recharge " + recharge.code() + " spent cannot be told from the card's payments; nothing "
                        + "was changed"));
            }
            return payments.recordBonusCharges(posting.tx(), account.tenantId(), refundEntryId, charges);
        });
    }

    /**
     * S1-30's payback by one type: only a type the recharge came in by, and no more than came in by it (allotted to
     * its payments of that type in order).
     */
    private static List<RechargeRepository.RefundPayment> byType(int paymentType, RechargeRecord recharge,
            BigDecimal payBack) {
        List<RechargeRepository.RefundPayment> parts = new ArrayList<>();
        BigDecimal left = payBack;
        BigDecimal cameIn = Money.ZERO;
        for (RechargeRecord.Payment payment : recharge.payments()) {
            if (payment.paymentType() != paymentType) {
                continue;
            }
            cameIn = cameIn.add(payment.money());
            BigDecimal part = left.min(payment.money());
            if (part.signum() > 0) {
                parts.add(new RechargeRepository.RefundPayment(payment.id(), paymentType, part));
                left = left.subtract(part);
            }
        }
        if (left.signum() > 0) {
            throw new ApiException(StatusCode.REFUND_TOO_LARGE, "recharge " + recharge.code() + " pays back "
                    + payBack + " but only " + cameIn + " of it came in by " + PaymentType.of(paymentType)
                            .displayName()
                    + ": pay it back by the types it came in by (refundoriginal)");
        }
        if (parts.isEmpty()) {
            parts.add(new RechargeRepository.RefundPayment(null, paymentType, Money.ZERO));
        }
        return parts;
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
