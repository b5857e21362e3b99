package io.membercard.card.card;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Cards read at the till and vouched for to other services: the card must exist in the tenant and, for a
 * card-present operation, its MAC must match. An unknown card and a wrong MAC answer alike (602); repeated wrong
 * MACs lock the card (601), and so does a replacement or return still running on it.
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

    /** The card {@code code} if {@code mac} is its secret, and not busy. */
    public Uni<CardRow> verify(long tenantId, String code, String mac) {
        return cards.findByTenantAndCode(tenantId, code).flatMap(card -> {
            if (card == null) {
                return Uni.createFrom().failure(notFound());
            }
            return checkSecret(card, mac).map(CardService::notBusy);
        });
    }

    /**
     * Checks {@code mac} against {@code card} under the lockout: a locked card is 601, a wrong MAC 602 (and counted).
     */
    public Uni<CardRow> checkSecret(CardRow card, String mac) {
        return guard.checkNotLocked(card.tenantId(), card.id()).flatMap(state -> {
            if (!secrets.matches(card, mac)) {
                return guard.recordFailure(card.tenantId(), card.id())
                        .flatMap(nothing -> Uni.createFrom().<CardRow>failure(notFound()));
            }
            return guard.recordSuccess(card.tenantId(), card.id(), state).replaceWith(card);
        });
    }

    /**
     * The card whose secret is {@code mac} (S1-21, S1-06: the till reads only the chip). A secret two cards share
     * (a card migrated from another tenant may carry one of this tenant's) names neither: 602, read it by code.
     */
    public Uni<CardRow> verifyByMac(long tenantId, String mac) {
        return hashesOf(tenantId, mac)
                .flatMap(hashes -> cards.findByTenantAndMacHash(tenantId, hashes))
                .flatMap(found -> {
                    if (found.isEmpty()) {
                        return Uni.createFrom().failure(notFound());
                    }
                    if (found.size() > 1) {
                        return Uni.createFrom().failure(new ApiException(StatusCode.CARD_NOT_FOUND,
                                "this card secret belongs to more than one card: read the card by its code"));
                    }
                    CardRow card = found.get(0);
                    return guard.checkNotLocked(tenantId, card.id()).replaceWith(notBusy(card));
                });
    }

    /** {@code mac} hashed as the tenant's own cards and its migrated cards store it. */
    private Uni<List<String>> hashesOf(long tenantId, String mac) {
        return cards.foreignMacSalts(tenantId).map(salts -> {
            List<String> hashes = new ArrayList<>();
            hashes.add(secrets.hash(tenantId, mac));
            salts.forEach(salt -> hashes.add(secrets.hash(salt, mac)));
            return hashes;
        });
    }

    /**
     * Which of {@code macs} a card of the tenant other than {@code exceptCardId} has already, whichever tenant's
     * salt its hash was made with: a card secret must name one card.
     */
    public Uni<Set<String>> macsInUse(SqlClient tx, long tenantId, Collection<String> macs, long exceptCardId) {
        if (macs.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return cards.foreignMacSalts(tx, tenantId).flatMap(salts -> {
            Map<String, String> macOf = new HashMap<>();
            for (String mac : macs) {
                macOf.put(secrets.hash(tenantId, mac), mac);
                salts.forEach(salt -> macOf.put(secrets.hash(salt, mac), mac));
            }
            return cards.macHashesInUse(tx, tenantId, List.copyOf(macOf.keySet()), exceptCardId)
                    .map(used -> {
                        Set<String> taken = new HashSet<>();
                        used.forEach(hash -> taken.add(macOf.get(hash)));
                        return taken;
                    });
        });
    }

    /** Fails with a refusal of {@code mac} when another card of the tenant has it already. */
    public Uni<Void> macFree(SqlClient tx, long tenantId, String mac, long cardId) {
        return macsInUse(tx, tenantId, List.of(mac), cardId).invoke(taken -> {
            if (!taken.isEmpty()) {
                throw ApiException.badInput("mac", "is already bound to another card");
            }
        }).replaceWithVoid();
    }

    /** The card {@code code}, for operations without the card present. */
    public Uni<CardRow> byCode(long tenantId, String code) {
        return cards.findByTenantAndCode(tenantId, code)
                .map(card -> {
                    if (card == null) {
                        throw notFound();
                    }
                    return notBusy(card);
                });
    }

    /** Refuses a card a replacement or return is still running on (601). */
    public static CardRow notBusy(CardRow card) {
        if (card.busy()) {
            throw new ApiException(StatusCode.CARD_UNUSABLE, "card " + card.code()
                    + " is being replaced, returned or migrated; try again in a moment");
        }
        return card;
    }

    public static ApiException notFound() {
        return new ApiException(StatusCode.CARD_NOT_FOUND, "card not found, or its card secret does not match");
    }
}
