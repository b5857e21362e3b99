package io.membercard.card.card;

import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.membercard.common.api.ApiResponse;
import io.membercard.common.security.Caller;
import io.membercard.common.security.Roles;
import io.smallrye.mutiny.Uni;

/**
 * This service's hashes of card secrets (MACs), for another service that must hold a card secret a while before it
 * reaches a card: member-service's import keeps a file's 卡密 only as these hashes, and issues its cards with them
 * instead of the secrets. The caller's token is forwarded (managers and admins: imports are theirs); the tenant is
 * the token's. Nothing is looked up and nothing is compared: a hash tells nothing about whether a card has that
 * secret, so this is no way to guess one. Not routed by the gateway.
 * <p>
 * Each secret is answered by a list of 64 hex characters: first the hash a card of the tenant written with that
 * secret keeps, then the same secret under the salts of cards migrated into the tenant (which keep their old
 * tenant's), so that the issuer can tell a secret in use by a migrated card.
 */
@Path("/internal/cards/mac-hashes")
@Produces(MediaType.APPLICATION_JSON)
public class MacHashResource {
    public static final int MAX_MACS = 1000;

    private final CardSecrets secrets;
    private final CardRepository cards;
    private final Caller caller;

    public MacHashResource(CardSecrets secrets, CardRepository cards, Caller caller) {
        this.secrets = secrets;
        this.cards = cards;
        this.caller = caller;
    }

    /** The card secrets to hash, at most {@value #MAX_MACS}. */
    public record Request(@NotNull @NotEmpty @Size(max = MAX_MACS) List<@NotBlank @Size(max = 64) String> macs) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<List<List<String>>>> hashes(@Valid @NotNull Request body) {
        long tenantId = caller.tenantId();
        return cards.foreignMacSalts(tenantId).map(salts -> {
            List<List<String>> answer = new ArrayList<>(body.macs().size());
            for (String raw : body.macs()) {
                String mac = raw.trim();
                List<String> hashes = new ArrayList<>(1 + salts.size());
                hashes.add(secrets.hash(tenantId, mac));
                salts.forEach(salt -> hashes.add(secrets.hash(salt, mac)));
                answer.add(hashes);
            }
            return ApiResponse.ok(answer);
        });
    }
}
