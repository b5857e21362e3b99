package io.membercard.payment.recharge;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.security.Operator;
import io.membercard.payment.account.AccountLedger;
import io.membercard.payment.account.AccountRef;
import io.membercard.payment.account.AccountRepository;
import io.membercard.payment.account.Delta;
import io.membercard.payment.config.PaymentConfig;
import io.membercard.payment.online.ChannelAnswer;
import io.membercard.payment.online.OnlineRefunds;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Ends pending online refunds by the channel's word, however it arrives (the answer to the refund, a check, a
 * notification), with no lock or transaction open while the channel is asked. Paid back: the refund is done. Not
 * paid back (closed, abnormal, or refused with no refund under its number, as a query confirms): the whole recharge
 * refund is undone in one reversal entry, under the card's lock, exactly once however many callers learn it at the
 * same time; the recharge can be refunded again. Anything else leaves it pending, to be asked again with the same
 * refund number, which the channel pays at most once.
 */
@ApplicationScoped
public class OnlineRefundSettlement {
    private static final Logger LOG = Logger.getLogger(OnlineRefundSettlement.class);

    private final Pool pool;
    private final OnlineRefunds channels;
    private final OnlineRefundRepository refunds;
    private final AccountLedger ledger;
    private final AccountRepository accounts;
    private final RechargeRepository recharges;
    private final PaymentConfig.OnlineRefund config;

    public OnlineRefundSettlement(Pool pool, OnlineRefunds channels, OnlineRefundRepository refunds,
            AccountLedger ledger, AccountRepository accounts, RechargeRepository recharges, PaymentConfig config) {
        this.pool = pool;
        this.channels = channels;
        this.refunds = refunds;
        this.ledger = ledger;
        this.accounts = accounts;
        this.recharges = recharges;
        this.config = config.onlineRefund();
    }

    /**
     * Asks the channel about a pending refund (sending it when it was never sent, or the channel never received
     * it) and applies the answer; answers the refund as it stands then.
     */
    public Uni<OnlineRefundRecord> settleIfPending(OnlineRefundRecord refund) {
        if (refund.state() != OnlineRefundRecord.State.PENDING) {
            return Uni.createFrom().item(refund);
        }
        int type = refund.paymentType();
        Uni<ChannelAnswer> asked = refund.attempts() == 0
                ? channels.submit(type, refund.request())
                : channels.query(type, refund.request()).flatMap(answer -> answer
                        .outcome() == ChannelAnswer.Outcome.NOT_FOUND
                                ? channels.submit(type, refund.request())
                                : Uni.createFrom().item(answer));
        return asked.flatMap(answer -> answer.outcome() == ChannelAnswer.Outcome.REFUSED
                ? confirmRefusal(refund, answer)
                : Uni.createFrom().item(answer))
                .flatMap(answer -> apply(refund, answer))
                .flatMap(ignored -> refunds.reload(pool, refund));
    }

    /**
     * A refused request is final only when the channel has no refund under its number: a repeated request may be
     * refused while the first was taken (and paid).
     */
    private Uni<ChannelAnswer> confirmRefusal(OnlineRefundRecord refund, ChannelAnswer refusal) {
        return channels.query(refund.paymentType(), refund.request()).map(found -> switch (found.outcome()) {
            case NOT_FOUND -> ChannelAnswer.of(ChannelAnswer.Outcome.FAILED, refusal.detail());
            case SUCCEEDED, FAILED, PENDING -> found;
            default -> ChannelAnswer.of(ChannelAnswer.Outcome.UNKNOWN, refusal.detail() + "; not confirmed: "
                    + found.detail());
        });
    }

    /** Applies what the channel said of {@code refund}. */
    public Uni<Void> apply(OnlineRefundRecord refund, ChannelAnswer answer) {
        return switch (answer.outcome()) {
            case SUCCEEDED -> refunds.end(pool, refund, OnlineRefundRecord.State.SUCCEEDED, answer.detail())
                    .invoke(ended -> {
                        if (ended) {
                            LOG.infof("tenant %d: online refund %s (bill %s) of %s paid back", refund.tenantId(),
                                    refund.refundNo(), refund.billNo(), refund.money());
                        } else if (refund.state() == OnlineRefundRecord.State.FAILED) {
                            LOG.errorf("tenant %d: online refund %s (bill %s) of %s was undone as not paid back, "
                                    + "and the channel now says it paid it: look into it", refund.tenantId(),
                                    refund.refundNo(), refund.billNo(), refund.money());
                        }
                    }).replaceWithVoid();
            case FAILED -> undo(refund, answer.detail());
            default -> refunds.stillPending(pool, refund, answer.outcome() + " " + answer.detail(),
                    wait(refund.attempts()));
        };
    }

    /**
     * The channel will not pay it: the whole recharge refund is undone on the card the account serves now, once
     * (the money, the bonus taken back, the bonus charged to payments, what it recorded as paid back by type).
     */
    private Uni<Void> undo(OnlineRefundRecord refund, String why) {
        return accounts.findById(pool, refund.tenantId(), refund.accountId()).flatMap(account -> ledger.change(
                new Operator(refund.tenantId(), "system", "online refund"), refund.shopId(),
                new AccountRef(refund.tenantId(), account.cardId(), account.cardCode()), null, null, Void.class,
                posting -> {
                    if (posting.account().id() != refund.accountId()) {
                        return Uni.createFrom().failure(new IllegalStateException("the account of online refund "
                                + refund.refundNo() + " moved while it was settled; it is settled on the next check"));
                    }
                    return refunds.end(posting.tx(), refund, OnlineRefundRecord.State.FAILED, why)
                            .flatMap(ended -> !ended
                                    ? Uni.createFrom().voidItem()
                                    : recharges.refundEntry(posting.tx(), refund.tenantId(), refund.entryId())
                                            .flatMap(entry -> posting.post(Delta.rechargeRefundReversed(
                                                    refund.billNo(), entry, refund.entryId(), OnlineRefunds
                                                            .channel(refund.paymentType()) + " did not pay refund "
                                                            + refund.refundNo() + " back: " + why)))
                                            .call(posted -> recharges.reverseRefund(posting.tx(), refund.tenantId(),
                                                    refund.entryId(), posted.entryId()))
                                            .call(posted -> refunds.reversedBy(posting.tx(), refund,
                                                    posted.entryId()))
                                            .invoke(() -> LOG.warnf("tenant %d card %s: online refund %s (bill %s) "
                                                    + "not paid back (%s); the recharge refund is undone",
                                                    refund.tenantId(), account.cardCode(), refund.refundNo(),
                                                    refund.billNo(), why))
                                            .replaceWithVoid());
                })).replaceWithVoid();
    }

    /** How long until a refund that stays pending after {@code attempts} checks is asked again. */
    private Duration wait(int attempts) {
        Duration wait = config.checkEvery().multipliedBy(1L << Math.min(attempts, 16));
        return wait.compareTo(config.maxCheckWait()) > 0 ? config.maxCheckWait() : wait;
    }

    /** When a new refund is first checked, unless its own answer settles it before. */
    Duration firstCheck() {
        return config.checkEvery();
    }
}
