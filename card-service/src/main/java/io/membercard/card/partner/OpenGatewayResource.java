package io.membercard.card.partner;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;

/**
 * The open protocol of seed 003 ({@code mb_newcard}): partners authenticate with a signed request, not a token.
 * Answers are the protocol's own shape, refusals included ({@code status} "0").
 */
@Path("/api/open/gateway")
public class OpenGatewayResource {
    private final OpenGatewayService service;

    public OpenGatewayResource(OpenGatewayService service) {
        this.service = service;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Seed 003: a partner issues cards (action mb_newcard)", description = "get carries appid, "
            + "timestamp (unix seconds, within 5 minutes), nonce (8 to 64 characters, used once), op, post_sha256 "
            + "(required: SHA-256 hex of the post group exactly as sent), and sign: HMAC-SHA256 hex, under the "
            + "partner's secret, of get's other entries sorted by name as k=v joined by &, with % & = inside names "
            + "and values written %25 %26 %3D. A body that repeats a key is refused. post.list lists the cards: cardno, "
            + "password, name, phone, sex, birthday (yyyyMMdd), idnumber, level, balance, points, expirydate, extid; "
            + "type 15 makes count cards without members. status is 1 when every card was issued. The cards a request "
            + "would newly issue count against the tenant's partnerCardsPerDay: over it, status is 0 and nothing is "
            + "issued.")
    public Uni<OpenAnswer> gateway(String body) {
        return service.handle(body);
    }
}
