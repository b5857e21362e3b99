package io.membercard.card.card;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.smallrye.mutiny.Uni;

/**
 * Cards read at the till and vouched for to other services: the card must exist in the tenant and, for a
 * card-present operation, its MAC must match. An unknown card and a wrong MAC answer alike (602); repeated wrong
 * MACs lock the card (601).
 */
@ApplicationScoped
public class CardService {
    private final CardRepository cards;
    private final CardSecrets secrets;
    private final MacGuard guard;
    private final Accounts accounts;

    public CardService(CardRepository cards, CardSecrets secrets, MacGuard guard, Accounts accounts) {
        this.cards = cards;
        this.secrets = secrets;
        this.guard = guard;
        this.accounts = accounts;
    }

    /** S1-07: the card {@code code}, if {@code mac} is its MAC, with its account figures. */
    public Uni<CardView> read(long tenantId, String code, String mac) {
        return verify(tenantId, code, mac)
                .flatMap(card -> accounts.figures(card.id()).map(figures -> CardView.of(card, figures)));
    }

    /** The card {@code code} if {@code mac} is its secret. */
    public Uni<CardRow> verify(long tenantId, String code, String mac) {
        return cards.findByTenantAndCode(tenantId, code).flatMap(card -> {
            if (card == null) {
                return Uni.createFrom().failure(notFound());
            }
            return guard.checkNotLocked(tenantId, card.id()).flatMap(state -> {
                if (!secrets.matches(card.macHash(), tenantId, mac)) {
                    return guard.recordFailure(tenantId, card.id())
                            .flatMap(nothing -> Uni.createFrom().<CardRow>failure(notFound()));
                }
                return guard.recordSuccess(tenantId, card.id(), state).replaceWith(card);
            });
        });
    }

    /** The card whose secret is {@code mac} (S1-21, S1-06: the till reads only the chip). */
    public Uni<CardRow> verifyByMac(long tenantId, String mac) {
        return cards.findByTenantAndMacHash(tenantId, secrets.hash(tenantId, mac)).flatMap(card -> card == null
                ? Uni.createFrom().failure(notFound())
                : guard.checkNotLocked(tenantId, card.id()).replaceWith(card));
    }

    /** The card {@code code}, for operations without the card present. */
    public Uni<CardRow> byCode(long tenantId, String code) {
        return cards.findByTenantAndCode(tenantId, code)
                .map(card -> {
                    if (card == null) {
                        throw notFound();
                    }
                    return card;
                });
    }

    private static ApiException notFound() {
        return new ApiException(StatusCode.CARD_NOT_FOUND, "card not found, or its card secret does not match");
    }
}
