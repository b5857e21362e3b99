package io.membercard.payment.lifecycle;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.idempotency.IdempotencyKey;
import io.membercard.common.idempotency.Idempotent;
import io.membercard.payment.account.Account;
import io.membercard.payment.account.AccountLedger;
import io.membercard.payment.account.AccountRef;
import io.membercard.payment.account.AccountRepository;
import io.membercard.payment.account.Delta;
import io.membercard.payment.lifecycle.CardAccountCommands.Replace;
import io.membercard.payment.lifecycle.CardAccountCommands.Replaced;
import io.membercard.payment.lifecycle.CardAccountCommands.Return;
import io.membercard.payment.lifecycle.CardAccountCommands.Returned;
import io.membercard.payment.points.PointsBook;
import io.membercard.payment.recharge.OnlineRefundRepository;
import io.membercard.payment.recharge.PaymentType;
import io.membercard.payment.recharge.RechargeRepository;
import io.smallrye.mutiny.Uni;

/**
 * The account side of card replacement and card return, each one change through {@link AccountLedger} (the card's
 * lock, one transaction, the client's timestamp checked). card-service runs the card side and calls these with its
 * operation id, so a repeat after a lost answer changes nothing twice.
 */
@ApplicationScoped
public class CardAccountService {
    private static final Logger LOG = Logger.getLogger(CardAccountService.class);

    private final AccountLedger ledger;
    private final AccountRepository accounts;
    private final RechargeRepository recharges;
    private final PointsBook points;
    private final OnlineRefundRepository onlineRefunds;

    public CardAccountService(AccountLedger ledger, AccountRepository accounts, RechargeRepository recharges,
            PointsBook points, OnlineRefundRepository onlineRefunds) {
        this.points = points;
        this.onlineRefunds = onlineRefunds;
        this.ledger = ledger;
        this.accounts = accounts;
        this.recharges = recharges;
    }

    /**
     * Moves the old card's account (balances, bonus, points, history) to the new card in one transaction. The new
     * card must not have an account that ever held anything.
     */
    public Uni<Idempotent<Replaced>> replace(Replace command) {
        if (command.fromCardId().equals(command.toCardId())) {
            throw ApiException.badInput("toCardId", "is the card being replaced");
        }
        long tenantId = command.actor().tenantId();
        IdempotencyKey key = IdempotencyKey.of(tenantId, "card-replace", command.operationId(), command);
        AccountRef ref = new AccountRef(tenantId, command.fromCardId(), command.fromCardCode());
        AccountRef to = new AccountRef(tenantId, command.toCardId(), command.toCardCode());
        return ledger.once(key, Replaced.class, () -> ledger.change(command.actor().operator(),
                command.actor().shopId(), ref, to, key, command.timestamp(),
                Replaced.class, posting -> accounts.lockExisting(posting.tx(), tenantId, command.toCardId())
                        .flatMap(target -> {
                            if (target != null && !target.isUnused()) {
                                return Uni.createFrom().failure(ApiException.badInput("cardCode", "card "
                                        + command.toCardCode() + " already has money or points of its own"));
                            }
                            return target == null
                                    ? Uni.createFrom().item(true)
                                    : accounts.removeIfUnused(posting.tx(), tenantId, command.toCardId());
                        })
                        .flatMap(ignored -> posting.moveToCard(command.toCardId(), command.toCardCode(),
                                command.operationId(), remark(command.remark(), "replaced card "
                                        + command.fromCardCode() + " by " + command.toCardCode())))
                        .map(posted -> {
                            Account a = posted.after();
                            LOG.infof("tenant %d: the account of card %s moved to card %s (balance %s, points %d)",
                                    tenantId, command.fromCardCode(), command.toCardCode(), a.balance(),
                                    a.actualPoints());
                            return new Replaced(a.id(), a.balance(), a.actualBalance(), a.giveBalance(),
                                    a.actualPoints(), a.timestamp());
                        })));
    }

    /**
     * Ends the card's account: pays back the actual balance by the chosen payment type, withdraws the bonus and
     * expires the points, as one {@code CARD_RETURN} entry, and closes it: nothing can be posted to it afterwards.
     * Refused (409) while an online refund of the card is pending: its money may still have to come back.
     */
    public Uni<Idempotent<Returned>> returnCard(Return command) {
        PaymentType type = PaymentType.forCardMoney("paymentType", command.paymentType());
        long tenantId = command.actor().tenantId();
        IdempotencyKey key = IdempotencyKey.of(tenantId, "card-return", command.operationId(), command);
        AccountRef ref = new AccountRef(tenantId, command.cardId(), command.cardCode());
        // A return pays money out at the till: held to the shop's unclosed-day rule, as a payment is.
        return ledger.tillOnce(command.actor().operator(), command.actor().shopId(), key, Returned.class,
                () -> ledger.change(command.actor().operator(),
                        command.actor().shopId(), ref, key, command.timestamp(), Returned.class, posting -> {
                            Account a = posting.account();
                            return onlineRefunds.pendingFor(posting.tx(), tenantId, List.of(a.id()))
                                    .flatMap(pending -> {
                                        if (pending) {
                                            throw new ApiException(StatusCode.CONFLICT, "card " + a.cardCode()
                                                    + " has an online "
                                                    + "refund still pending; return it once the refund is settled");
                                        }
                                        return posting
                                                .post(Delta.cardReturn(command.operationId(), type.code(),
                                                        a.actualBalance(),
                                                        a.giveBalance(), a.actualPoints(),
                                                        remark(command.remark(), "card returned")))
                                                .call(posted -> recharges.insertRefundPayments(posting.tx(), tenantId,
                                                        posted.entryId(),
                                                        List.of(new RechargeRepository.RefundPayment(null, type.code(),
                                                                a.actualBalance()))))
                                                .call(posted -> points.forfeitAll(posting))
                                                .call(posted -> accounts.close(posting.tx(), posted.after()))
                                                .map(posted -> {
                                                    LOG.infof(
                                                            "tenant %d card %s returned: %s paid back by %s, bonus %s and %d points "
                                                                    + "forfeited",
                                                            tenantId, command.cardCode(), a.actualBalance(),
                                                            type.displayName(), a.giveBalance(), a.actualPoints());
                                                    return new Returned(type.code(), a.actualBalance(), a.giveBalance(),
                                                            a.actualPoints(),
                                                            posted.after().timestamp());
                                                });
                                    });
                        }));
    }

    private static String remark(String given, String otherwise) {
        return given == null || given.isBlank() ? otherwise : given.trim();
    }
}
