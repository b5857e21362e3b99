package io.membercard.member.importing;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.ApiResponse;
import io.membercard.common.security.Caller;
import io.membercard.common.security.Roles;
import io.membercard.common.web.QueryParams;
import io.smallrye.mutiny.Uni;

/** S1-37: upload a member file, import it, and follow the import. */
@Path("/api/member/member")
@Produces(MediaType.APPLICATION_JSON)
public class ImportResource {
    private final ImportService service;
    private final Caller caller;

    public ImportResource(ImportService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Path("/upload")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Upload a member file (xlsx or csv, at most 50 MB and 200,000 rows); data is its filePath", description = "The first row names the columns: 姓名/name and 手机/phone are required; 卡号/cardCode, 卡密/mac, "
            + "性别/sex, 生日/birthday, 身份证/idCard, 地址/address, 余额/balance, 赠送余额/giveBalance, "
            + "积分/points and 等级/level (a level's name) are read when present. The file is read at once, as a "
            + "stream (400 naming file when it cannot be, has more than 200,000 rows, a csv line over 64K "
            + "characters or an xlsx inflating past 256 MB) and not kept: only its rows are, each 卡密 replaced by "
            + "card-service's hash of it, until an import of them ends or for a day when none is started.")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<String>> upload(@RestForm("file") FileUpload file,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (file == null) {
            throw ApiException.badInput("file", "is required (multipart field file)");
        }
        return service.upload(caller.operator(), authorization, file.fileName(), file.uploadedFile())
                .map(ApiResponse::ok);
    }

    /** S1-37's body. */
    public record ImportRequest(@NotBlank String filePath, Long shopId, @NotNull @Min(1) Long memberCardClassId,
            @Min(0) Long memberLevelId) {
    }

    @POST
    @Path("/import")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-37: import an uploaded file's members; data is the import job's id", description = "Rows become members on cards of class memberCardClassId (the row's 卡号 is the card's code; without "
            + "one a virtual card is made), in shop shopId, with level memberLevelId unless the row names "
            + "one, and with their 余额/赠送余额/积分 as opening balances. Follow it with importjob. When it "
            + "ends its upload is deleted: to import the same file again, upload it again (nothing is duplicated).")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<Long>> start(@Valid @NotNull ImportRequest body) {
        Long shop = caller.shopScope(body.shopId());
        if (shop == null) {
            throw ApiException.badInput("shopId", "is required");
        }
        Long level = body.memberLevelId() == null || body.memberLevelId() == 0 ? null : body.memberLevelId();
        return service.start(caller.operator(), new ImportService.Start(body.filePath(), shop,
                body.memberCardClassId(), level)).map(ApiResponse::ok);
    }

    @GET
    @Path("/importjob")
    @Operation(summary = "An import job: its progress and the rows it refused, with the reason for each")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    public Uni<ImportJob> job(@QueryParam("id") String id) {
        return service.job(caller.tenantId(), QueryParams.requiredId("id", id));
    }
}
