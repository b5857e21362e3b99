package io.membercard.settlement.dayclose;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.ApiResponse;
import io.membercard.common.api.StatusCode;
import io.membercard.common.paging.Page;
import io.membercard.common.paging.PageQuery;
import io.membercard.common.security.Caller;
import io.membercard.common.security.Roles;
import io.membercard.common.time.Dates;
import io.membercard.common.web.QueryParams;
import io.smallrye.mutiny.Uni;

/**
 * A shop's day-end close (日结), seeds' codes 901–905: close it, see where it stands, read its report, list the
 * days. Cashiers act for the shop in their token; managers for any shop of their tenant.
 */
@Path("/api/member/settlement")
@Produces(MediaType.APPLICATION_JSON)
public class DayCloseResource {
    /** The most days one list may span. */
    static final int MAX_LIST_DAYS = 366;

    private final DayCloseService service;
    private final Caller caller;
    private final ObjectMapper mapper;

    public DayCloseResource(DayCloseService service, Caller caller, ObjectMapper mapper) {
        this.service = service;
        this.caller = caller;
        this.mapper = mapper;
    }

    /** Body of dayclose, optional: what the till holds, by payment type. */
    public record CloseBody(List<Counted> cashCount) {
    }

    /** Money counted at the till for one payment type. */
    public record Counted(Integer paymentType, BigDecimal money) {
    }

    @POST
    @Path("/dayclose")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    @Operation(summary = "Close a shop's business day (901–905)", description = "Reads the day from the ledger, checks "
            + "it and stores its report. The answer's status and data.status: 904 closed, 902 still closing (follow "
            + "it with getstatus), 903 interrupted (POST again to resume). A repeat answers the close; a close of a "
            + "905 day makes the next version. Body, optional: {\"cashCount\": [{\"paymentType\", \"money\"}]}, "
            + "what the till holds: the report shows the difference; the ledger is never changed.")
    public Uni<ApiResponse<DayStatus>> close(@QueryParam("shopId") String shopId, @QueryParam("date") String date,
            CloseBody body) {
        Long shop = shop(shopId);
        LocalDate day = date("date", date);
        JsonNode counted = cashCount(body);
        return service.close(caller.tenantId(), shop, day, caller.userId(), counted).map(DayCloseResource::answer);
    }

    @GET
    @Path("/getstatus")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    @Operation(summary = "Where a shop's day stands (901–905)", description = "{shopId, date, status, version, "
            + "closedAt, difference, progress, checksPassed}; 905's difference lists the entries posted after the "
            + "close, by cell. Reads what is stored: it never rescans the day.")
    public Uni<ApiResponse<DayStatus>> status(@QueryParam("shopId") String shopId, @QueryParam("date") String date) {
        Long shop = shop(shopId);
        LocalDate day = date("date", date);
        return service.status(caller.tenantId(), shop, day).map(DayCloseResource::answer);
    }

    @GET
    @Path("/getreport")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    @Operation(summary = "A closed day's report", description = "{shopId, date, status, version, closedAt, lines: "
            + "[{operation, paymentType, count, money, actualMoney, giveMoney}], totals, points, checks, carried, "
            + "cashCount, previous}; the newest version unless version is given. A day not closed answers its status "
            + "(901, 902, 903) without data.")
    public Uni<ApiResponse<ObjectNode>> report(@QueryParam("shopId") String shopId, @QueryParam("date") String date,
            @QueryParam("version") String version) {
        return read(shopId, date, version).map(read -> new ApiResponse<>(read.status().code(),
                read.status().defaultMessage(), read.report().orElse(null)));
    }

    /** A report read: the status of its day (or version), and the report when that version is closed. */
    private record Read(StatusCode status, java.util.Optional<ObjectNode> report) {
    }

    /** The report of the day's newest (or named) version, for getreport and export; 404 for a version not there. */
    private Uni<Read> read(String shopId, String date, String version) {
        Long shop = shop(shopId);
        LocalDate day = date("date", date);
        Integer wanted = QueryParams.optionalInt("version", version);
        if (wanted != null && wanted < 1) {
            throw ApiException.badInput("version", "must be 1 or more");
        }
        DayCloseService.StatusHolder status = new DayCloseService.StatusHolder();
        return service.report(caller.tenantId(), shop, day, wanted, status).map(report -> {
            if (status.code == StatusCode.NOT_FOUND) {
                throw ApiException.notFound("version " + wanted + " of the close of " + day);
            }
            return new Read(status.code, report);
        });
    }

    @GET
    @Path("/getlist")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    @Operation(summary = "A shop's closed days", description = "The days from startDate to endDate (at most 366) that "
            + "have a close, newest first: status, version, closedAt, entries and the day's grand total; sumData "
            + "sums them all.")
    public Uni<Page<DayListItem, DayListItem.Sums>> list(@QueryParam("shopId") String shopId,
            @QueryParam("startDate") String startDate, @QueryParam("endDate") String endDate,
            @QueryParam("pageIndex") String pageIndex, @QueryParam("pageSize") String pageSize) {
        Long shop = shop(shopId);
        LocalDate from = date("startDate", startDate);
        LocalDate to = date("endDate", endDate);
        if (to.isBefore(from)) {
            throw ApiException.badInput("endDate", "must not be before startDate");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_LIST_DAYS) {
            throw ApiException.badInput("endDate", "must be within " + MAX_LIST_DAYS + " days of startDate");
        }
        PageQuery page = PageQuery.parse(pageIndex, pageSize);
        return service.list(caller.tenantId(), shop, from, to, page);
    }

    /** Body of reopen. */
    public record ReopenBody(String reason) {
    }

    @POST
    @Path("/reopen")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    @Operation(summary = "Reopen a closed day (manager)", description = "Only the shop's latest closed day (or the "
            + "head office's, without shopId), and a shop's day only while the head office has not closed that date; "
            + "body {\"reason\"} (required, at most 200 characters), kept with who and when (getaudit). The close "
            + "stays readable; the day is 901 again and its next close is the next version. 409 when it may not be "
            + "reopened.")
    public Uni<ApiResponse<DayStatus>> reopen(@QueryParam("shopId") String shopId, @QueryParam("date") String date,
            ReopenBody body) {
        Long shop = shop(shopId);
        LocalDate day = date("date", date);
        String reason = reason(body, "why the day is reopened");
        return service.reopen(caller.tenantId(), shop, day, reason, bounded(caller.userId()),
                bounded(caller.userName()))
                .map(DayCloseResource::answer);
    }

    @POST
    @Path("/allowtrading")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    @Operation(summary = "Let a shop trade on while a day of it is not closed (manager)", description = "Where the "
            + "tenant's unclosedDay setting is block, the shop's money operations answer 901 while its previous "
            + "business day is not closed; this lets them run (with the warning in message) for that day. shopId "
            + "and a past date required; body {\"reason\"} (required, at most 200 characters), kept with who and "
            + "when (getaudit). data is the day's status.")
    public Uni<ApiResponse<DayStatus>> allowTrading(@QueryParam("shopId") String shopId,
            @QueryParam("date") String date, ReopenBody body) {
        Long shop = QueryParams.optionalLong("shopId", shopId);
        if (shop == null) {
            throw ApiException.badInput("shopId", "is required: the shop to let trade on");
        }
        LocalDate day = date("date", date);
        String reason = reason(body, "why the shop may trade on");
        return service.allowTrading(caller.tenantId(), caller.shopScope(shop), day, reason, bounded(caller.userId()),
                bounded(caller.userName())).map(status -> ApiResponse.ok(status));
    }

    /** A reason for the audit: required, at most 200 characters, no control characters. */
    private static String reason(ReopenBody body, String what) {
        String reason = body == null ? null : body.reason();
        if (reason == null || reason.isBlank()) {
            throw ApiException.badInput("reason", "is required: say " + what);
        }
        if (reason.trim().length() > 200) {
            throw ApiException.badInput("reason", "must be at most 200 characters");
        }
        if (reason.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t')) {
            throw ApiException.badInput("reason", "must not hold control characters");
        }
        return reason.trim();
    }

    @GET
    @Path("/getaudit")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    @Operation(summary = "Who reopened a day's closes or let the shop trade on (manager)", description = "[{version, "
            + "action (REOPENED, ALLOWED), reason, userId, userName, at}], oldest first; version is null for ALLOWED.")
    public Uni<List<DayCloseRepository.Audit>> audit(@QueryParam("shopId") String shopId,
            @QueryParam("date") String date) {
        return service.audit(caller.tenantId(), shop(shopId), date("date", date));
    }

    @GET
    @Path("/export")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    @Operation(summary = "A closed day's report as a file", description = "format xlsx (default) or csv: the cells, "
            + "the totals, the points, the checks, the items carried, the cash count (and the head office's shops "
            + "and liability), newest version unless version is given. A day not closed answers its status (901, "
            + "902, 903) in the envelope.")
    public Uni<jakarta.ws.rs.core.Response> export(@QueryParam("shopId") String shopId,
            @QueryParam("date") String date, @QueryParam("version") String version,
            @QueryParam("format") String format) {
        ReportExport.Format as = format == null || format.isBlank() || format.trim().equalsIgnoreCase("xlsx")
                ? ReportExport.Format.XLSX
                : format.trim().equalsIgnoreCase("csv") ? ReportExport.Format.CSV : null;
        if (as == null) {
            throw ApiException.badInput("format", "must be xlsx or csv");
        }
        return read(shopId, date, version).map(read -> {
            if (read.report().isEmpty()) {
                throw new ApiException(read.status(), "the day is not closed: there is no report to export");
            }
            var report = read.report();
            java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
            try {
                ReportExport.write(report.get(), as, file);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("the report could not be written", e);
            }
            return jakarta.ws.rs.core.Response.ok(file.toByteArray(), as.mediaType)
                    .header("Content-Disposition", "attachment; filename=\"" + ReportExport.fileName(report.get(), as)
                            + "\"")
                    .build();
        });
    }

    /** A user's id or name as the audit keeps it (at most 64 characters). */
    private static String bounded(String text) {
        return text == null ? "" : text.length() > 64 ? text.substring(0, 64) : text;
    }

    private static ApiResponse<DayStatus> answer(DayStatus status) {
        return new ApiResponse<>(status.status(), StatusCode.of(status.status()).defaultMessage(), status);
    }

    /** The shop acted for: a cashier's own; a manager's named one, or none: the tenant's whole day (head office). */
    private Long shop(String raw) {
        return caller.shopScope(QueryParams.optionalLong("shopId", raw));
    }

    private static LocalDate date(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            throw ApiException.badInput(field, "is required (a date such as 2026-12-01)");
        }
        LocalDate date;
        try {
            date = LocalDate.parse(raw.trim());
        } catch (DateTimeParseException e) {
            throw ApiException.badInput(field, "must be a date such as 2026-12-01");
        }
        if (date.getYear() < Dates.MIN_YEAR || date.getYear() > Dates.MAX_YEAR) {
            throw ApiException.badInput(field, "must be a date from year " + Dates.MIN_YEAR + " to " + Dates.MAX_YEAR);
        }
        return date;
    }

    private JsonNode cashCount(CloseBody body) {
        if (body == null || body.cashCount() == null) {
            return null;
        }
        if (body.cashCount().size() > 20) {
            throw ApiException.badInput("cashCount", "at most 20 payment types");
        }
        ArrayNode counted = mapper.createArrayNode();
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < body.cashCount().size(); i++) {
            Counted count = body.cashCount().get(i);
            String at = "cashCount[" + i + "]";
            if (count == null || count.paymentType() == null || count.paymentType() < 1) {
                throw ApiException.badInput(at + ".paymentType", "is required (1 or more)");
            }
            if (!seen.add(count.paymentType())) {
                throw ApiException.badInput(at + ".paymentType", "is counted twice");
            }
            BigDecimal money = io.membercard.common.money.Money.required(at + ".money", count.money());
            if (money.signum() < 0) {
                throw ApiException.badInput(at + ".money", "must not be negative");
            }
            counted.addObject().put("paymentType", count.paymentType()).put("money", money);
        }
        return counted;
    }
}
