package io.membercard.payment.card;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.config.CommonConfig;
import io.membercard.common.logging.LogText;
import io.smallrye.mutiny.Uni;

/**
 * What payment-service knows of cards, asked of card-service. Its refusals pass through unchanged (602 unknown card
 * or wrong MAC, 601 locked after wrong MACs); when card-service cannot answer, the caller gets a clear failure
 * before any money moves.
 */
@ApplicationScoped
public class Cards {
    private static final Logger LOG = Logger.getLogger(Cards.class);

    private final CardCalls calls;
    private final CommonConfig config;

    public Cards(CardCalls calls, CommonConfig config) {
        this.calls = calls;
        this.config = config;
    }

    /** The card {@code cardCode}, if {@code mac} is its secret. */
    public Uni<CardCheck> check(String cardCode, String mac) {
        return translate(calls.check(cardCode, mac));
    }

    /** The card whose secret is {@code mac}. */
    public Uni<CardCheck> checkByMac(String mac) {
        return translate(calls.checkByMac(mac));
    }

    /** The card {@code cardCode}, for operations the seed defines without its secret. */
    public Uni<CardCheck> byCode(String cardCode) {
        return translate(calls.byCode(cardCode));
    }

    /** The card {@code cardCode} of {@code tenantId}, for service calls that carry no user token. */
    public Uni<CardCheck> byCodeForService(long tenantId, String cardCode) {
        return translate(calls.byCodeForService(config.serviceKey(), tenantId, cardCode));
    }

    private static Uni<CardCheck> translate(Uni<CardCheck> call) {
        return call.onFailure(e -> !(e instanceof ApiException)).transform(e -> {
            LOG.warnf("card service unavailable: %s", LogText.error(e));
            return new ApiException(StatusCode.INTERNAL,
                    "the card service is unavailable: nothing was changed, try again");
        });
    }
}
