package io.membercard.payment.account;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.membercard.common.api.ApiException;
import io.membercard.common.security.Caller;
import io.membercard.common.security.Roles;
import io.membercard.common.web.QueryParams;
import io.smallrye.mutiny.Uni;

/** The ledger proof for administrators: every account of a tenant against the sum of its entries. */
@Path("/api/member/cardpay/reconcile")
@Produces(MediaType.APPLICATION_JSON)
public class ReconcileResource {
    private final ReconcileService reconcile;
    private final Caller caller;

    public ReconcileResource(ReconcileService reconcile, Caller caller) {
        this.reconcile = reconcile;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "Proof that every account of a tenant equals the sum of its ledger (admin)", description = "What the reconciliation job found, at once: the accounts and entries of its last full pass, and every "
            + "mismatch of the accounts' latest checks. tenantId is honoured for platform-admin only.")
    @RolesAllowed({Roles.ADMIN, Roles.PLATFORM_ADMIN})
    public Uni<ReconcileReport> reconcile(@QueryParam("tenantId") String tenantId) {
        Long tenant = caller.readableTenant(QueryParams.optionalLong("tenantId", tenantId));
        if (tenant == null) {
            throw ApiException.notFound("tenant " + tenantId);
        }
        return reconcile.report(tenant);
    }

}
