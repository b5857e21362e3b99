package io.membercard.card.issue;

import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.membercard.card.card.CardCheck;
import io.membercard.card.card.CardRepository;
import io.membercard.card.card.CardService;
import io.membercard.common.api.ApiException;
import io.membercard.common.api.ApiResponse;
import io.membercard.common.web.QueryParams;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Card calls of services acting without a user (service key required; not routed by the gateway). */
@Path("/internal/service/cards")
@Produces(MediaType.APPLICATION_JSON)
public class IssueResource {
    private final IssueService service;
    private final CardRepository cards;
    private final Pool pool;
    private final CardService verifier;

    public IssueResource(IssueService service, CardRepository cards, Pool pool, CardService verifier) {
        this.verifier = verifier;
        this.service = service;
        this.cards = cards;
        this.pool = pool;
    }

    @POST
    @Path("/issue")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Uni<ApiResponse<List<IssuedCard>>> issue(@Valid @NotNull IssueRequest body) {
        return service.issue(body).map(ApiResponse::ok);
    }

    /** Body of {@link #release}. */
    public record Release(@NotNull @Min(1) Long tenantId, @NotNull @Min(1) Long memberId,
            @NotNull @Min(1) Long cardId) {
    }

    /** A member that could not be created gives its card back (it can be issued again). */
    @POST
    @Path("/release")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Uni<ApiResponse<Boolean>> release(@Valid @NotNull Release body) {
        return pool.preparedQuery("""
                update card set member_id = null, issue_key = null, version = version + 1, updated_at = now()
                where tenant_id = $1 and id = $2 and member_id = $3""")
                .execute(Tuple.of(body.tenantId(), body.cardId(), body.memberId()))
                .map(rows -> ApiResponse.ok(rows.rowCount() == 1));
    }

    /** For services acting without a user (pay codes for WeChat): the tenant named, the service key vouches. */
    @GET
    @Path("/by-code")
    @Operation(hidden = true)
    @PermitAll
    public Uni<ApiResponse<CardCheck>> byCode(@QueryParam("tenantId") String tenantId,
            @QueryParam("cardCode") String cardCode) {
        return verifier.byCode(QueryParams.requiredId("tenantId", tenantId),
                QueryParams.requiredText("cardCode", cardCode, 32)).map(card -> ApiResponse.ok(CardCheck.of(card)));
    }

    /** The card of a member, as card-service knows it (for finishing a member whose creation was cut short). */
    @GET
    @Path("/by-member")
    @PermitAll
    @Operation(hidden = true)
    public Uni<ApiResponse<CardCheck>> byMember(@QueryParam("tenantId") String tenantId,
            @QueryParam("memberId") String memberId) {
        long tenant = QueryParams.requiredId("tenantId", tenantId);
        long member = QueryParams.requiredId("memberId", memberId);
        return cards.findByMember(tenant, member).map(card -> {
            if (card == null) {
                throw ApiException.notFound("card of member " + member);
            }
            return ApiResponse.ok(CardCheck.of(card));
        });
    }
}
