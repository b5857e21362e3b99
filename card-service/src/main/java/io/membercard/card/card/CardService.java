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
    public Uni<CardView> read(MacGuard.Guesser guesser, String code, String mac) {
        return verify(guesser, code, mac)
                .flatMap(card -> accounts.figures(card.id()).map(figures -> CardView.of(card, figures)));
    }

    /** The card {@code code} if {@code mac} is its secret, and not busy. */
    public Uni<CardRow> verify(MacGuard.Guesser guesser, String code, String mac) {
        return verifyPresent(guesser, code, mac).map(CardService::notBusy);
    }

    /** The card {@code code} if {@code mac} is its secret (the card is there), busy or not. */
    public Uni<CardRow> verifyPresent(MacGuard.Guesser guesser, String code, String mac) {
        return cards.findByTenantAndCode(guesser.tenantId(), code).flatMap(card -> {
            if (card == null) {
                // An unknown code is a guess too: it answers as a wrong MAC does, and costs the same.
                return guard.attempt(guesser, null).flatMap(paid -> Uni.createFrom().<CardRow>failure(notFound()));
            }
            return checkSecret(guesser, card, mac);
        });
    }

    /**
     * Checks {@code mac} against {@code card} under the lockout: the guess is paid for first (a locked card or
     * caller is 601), a wrong MAC is 602, a right one gives the guess back.
     */
    public Uni<CardRow> checkSecret(MacGuard.Guesser guesser, CardRow card, String mac) {
        return guard.attempt(guesser, card.id()).flatMap(paid -> {
            if (!secrets.matches(card, mac)) {
                return Uni.createFrom().<CardRow>failure(notFound());
            }
            return guard.succeeded(guesser, card.id()).replaceWith(card);
        });
    }

    /**
     * The same check for a secret that comes as this service's hashes of it (member-service's import keeps only
     * those): the guess is paid for first, every hash is compared in constant time.
     */
    public Uni<Void> checkHashes(MacGuard.Guesser guesser, CardRow card, List<String> hashes) {
        return guard.attempt(guesser, card.id()).flatMap(paid -> secrets.matchesAnyHash(card, hashes)
                ? guard.succeeded(guesser, card.id())
                : Uni.createFrom().<Void>failure(notFound()));
    }

    /**
     * The card whose secret is {@code mac} (S1-21, S1-06: the till reads only the chip). A look-up by MAC alone is
     * a guess paid for by the caller. A secret two cards share (a card migrated from another tenant may carry one
     * of this tenant's) names neither: 602, read it by code.
     */
    public Uni<CardRow> verifyByMac(MacGuard.Guesser guesser, String mac) {
        long tenantId = guesser.tenantId();
        return guard.attempt(guesser, null)
                .flatMap(paid -> hashesOf(tenantId, mac))
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
                    return guard.notLocked(tenantId, card.id())
                            .flatMap(open -> guard.succeeded(guesser, null))
                            .replaceWith(notBusy(card));
                });
    }

    /**
     * Pays for giving a card a new MAC (writing, rewriting, replacing onto a blank card), from the caller's budget of
     * new MACs, which is never given back: a MAC another card has is refused, and that tells the caller it exists.
     */
    public Uni<Void> newMacAttempt(MacGuard.Guesser guesser) {
        return guard.newMac(guesser);
    }

    /** Locks the caller out when {@code e} is a new MAC another card has ({@link #macRefused}); passes {@code e} on. */
    public Uni<Void> onMacCollision(MacGuard.Guesser guesser, Throwable e) {
        return e instanceof ApiException api && MAC_REFUSED.equals(api.getMessage())
                ? guard.collision(guesser)
                : Uni.createFrom().voidItem();
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
                throw macRefused();
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

    /**
     * A MAC that cannot be written: another card has it. The answer does not say so, to tell a guesser as little
     * as it can; the till reads the chip again or takes another card.
     */
    public static ApiException macRefused() {
        return ApiException.badInput("mac", "cannot be written to this card: read the chip again, or use another card");
    }

    private static final String MAC_REFUSED = macRefused().getMessage();

    public static ApiException notFound() {
        return new ApiException(StatusCode.CARD_NOT_FOUND, "card not found, or its card secret does not match");
    }
}
