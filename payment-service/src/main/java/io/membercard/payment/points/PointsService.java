package io.membercard.payment.points;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.idempotency.IdempotencyKey;
import io.membercard.common.idempotency.Idempotent;
import io.membercard.common.security.Operator;
import io.membercard.payment.account.AccountLedger;
import io.membercard.payment.account.AccountRef;
import io.membercard.payment.account.Delta;
import io.membercard.payment.card.Cards;
import io.membercard.payment.gift.Gifts;
import io.smallrye.mutiny.Uni;

/** Spending points on gifts (积分兑换): oldest points first; 607 when too few, 608 when the gift is unavailable. */
@ApplicationScoped
public class PointsService {
    private static final Logger LOG = Logger.getLogger(PointsService.class);

    private final Cards cards;
    private final Gifts gifts;
    private final AccountLedger ledger;
    private final PointsBook points;

    public PointsService(Cards cards, Gifts gifts, AccountLedger ledger, PointsBook points) {
        this.cards = cards;
        this.gifts = gifts;
        this.ledger = ledger;
        this.points = points;
    }

    record ExchangeCommand(String cardCode, long giftId, String remark) {
    }

    public Uni<Idempotent<Void>> exchange(Operator operator, Long shopId, String serial, ExchangeGiftRequest request) {
        IdempotencyKey key = IdempotencyKey.of(operator.tenantId(), "exchangegift", serial,
                new ExchangeCommand(request.cardCode(), request.giftId(), request.remark()));
        return ledger.tillOnce(operator, shopId, key, Void.class, () -> cards.check(request.cardCode(), request.mac())
                .flatMap(card -> gifts.available(request.giftId())
                        .flatMap(gift -> ledger.change(operator, shopId,
                                new AccountRef(operator.tenantId(), card.requireUsable().id(), card.code()), key,
                                request.timestamp(), Void.class, posting -> {
                                    long have = posting.account().actualPoints();
                                    if (have < gift.points()) {
                                        return Uni.createFrom().failure(new ApiException(StatusCode.POINTS_TOO_LOW,
                                                "gift " + gift.name() + " takes " + gift.points()
                                                        + " points; the card has "
                                                        + have));
                                    }
                                    return posting.post(Delta.giftExchange(serial, gift.points(), request.remark()))
                                            .flatMap(posted -> points.consume(posting, gift.points(), null))
                                            .invoke(() -> LOG.infof("tenant %d card %s: %d points for gift %s",
                                                    operator.tenantId(), card.code(), gift.points(), gift.name()))
                                            .replaceWith((Void) null);
                                }))));
    }
}
