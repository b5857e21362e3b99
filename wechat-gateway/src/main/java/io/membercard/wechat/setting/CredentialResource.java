package io.membercard.wechat.setting;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.membercard.common.api.ApiResponse;
import io.membercard.common.security.Caller;
import io.membercard.common.security.Roles;
import io.smallrye.mutiny.Uni;

/** A tenant's WeChat and Alipay credentials (contract: wechat-gateway, setting/save and setting/get). */
@Path("/api/weixin/setting")
@Produces(MediaType.APPLICATION_JSON)
public class CredentialResource {
    private final Credentials credentials;
    private final Caller caller;

    public CredentialResource(Credentials credentials, Caller caller) {
        this.credentials = credentials;
        this.caller = caller;
    }

    @POST
    @Path("/save")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    @Operation(summary = "Save the tenant's provider credentials (manager)", description = "Body {wechat: {appId, "
            + "appSecret, token, encodingAesKey}, alipay: {appId, privateKey, alipayPublicKey}}; either part may be "
            + "left out, and a secret left out keeps the one saved before. Secrets are stored sealed and never "
            + "returned; data is what get answers.")
    public Uni<ApiResponse<Credentials.View>> save(Credentials.Save body) {
        return credentials.save(caller.tenantId(), body, caller.userId()).map(ApiResponse::ok);
    }

    @GET
    @Path("/get")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    @Operation(summary = "The tenant's provider credentials without any secret (manager)", description = "{wechat: "
            + "{appId, appSecretSet, tokenSet, encodingAesKeySet, callbackUrl}, alipay: {appId, privateKeySet, "
            + "alipayPublicKeySet}}, a part null when not saved; callbackUrl is the address to give WeChat for the "
            + "tenant's event pushes.")
    public Uni<Credentials.View> get() {
        return credentials.view(caller.tenantId());
    }
}
