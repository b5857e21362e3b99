package io.membercard.card.card;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.smallrye.mutiny.Uni;

/** Reading a card at the till: the card must exist in the tenant and its MAC must match. */
@ApplicationScoped
public class CardService {
    private final CardRepository cards;
    private final CardSecrets secrets;
    private final MacGuard guard;

    public CardService(CardRepository cards, CardSecrets secrets, MacGuard guard) {
        this.cards = cards;
        this.secrets = secrets;
        this.guard = guard;
    }

    /**
     * The card {@code code} of the tenant, if {@code mac} is its MAC. An unknown card and a wrong MAC both answer
     * 602; repeated wrong MACs lock the card (601).
     */
    public Uni<CardView> read(long tenantId, String code, String mac) {
        return cards.findByTenantAndCode(tenantId, code).flatMap(card -> {
            if (card == null) {
                return Uni.createFrom().failure(notFound());
            }
            return guard.checkNotLocked(tenantId, card.id()).flatMap(ignored -> {
                if (!secrets.matches(card.macHash(), tenantId, mac)) {
                    return guard.recordFailure(tenantId, card.id())
                            .flatMap(nothing -> Uni.createFrom().<CardView>failure(notFound()));
                }
                return guard.recordSuccess(tenantId, card.id()).map(nothing -> CardView.withoutAccount(card));
            });
        });
    }

    private static ApiException notFound() {
        return new ApiException(StatusCode.CARD_NOT_FOUND, "card not found, or its card secret does not match");
    }
}
