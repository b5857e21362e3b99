package io.membercard.member.enrol;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
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

import io.membercard.common.api.ApiException;
import io.membercard.common.api.ApiResponse;
import io.membercard.common.money.Money;
import io.membercard.common.security.Operator;
import io.membercard.member.member.MemberRepository;
import io.membercard.member.member.MemberRules;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Bulk enrolment for another service (card-service's partner issuing): rows of members with their cards and
 * opening money, checked as members typed in are, then enrolled by {@link Enrolment}. Service key required.
 */
@Path("/internal/service/enrolments")
@Produces(MediaType.APPLICATION_JSON)
public class EnrolmentResource {
    private final Enrolment enrolment;
    private final Pool pool;

    public EnrolmentResource(Enrolment enrolment, Pool pool) {
        this.enrolment = enrolment;
        this.pool = pool;
    }

    /** Who enrols, where, and the rows. */
    public record Request(@NotNull @Min(1) Long tenantId, @NotNull @Min(0) Long shopId, String shopName,
            @NotNull @Min(1) Long cardClassId, @NotBlank @Size(max = 64) String userId,
            @Size(max = 64) String userName, @NotEmpty @Size(max = Enrolment.MAX_ROWS) List<@NotNull @Valid Row> rows) {
    }

    /**
     * One member: profile, level by rank, card, and what it brings. The card's secret comes as {@code mac} (passed
     * on to card-service, never kept) or, better, as {@code macHashes}: card-service's own hashes of it.
     */
    public record Row(@NotBlank @Size(max = 100) String sourceKey, String name, String phone, Integer sex,
            String birthday, String idCard, Integer levelRank, String cardCode, String mac, Integer sendMode,
            Long expiresAt, BigDecimal actual, BigDecimal give, Long points, List<String> macHashes) {
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Uni<ApiResponse<List<EnrolResult>>> enrol(@Valid @NotNull Request request) {
        Set<String> keys = new HashSet<>();
        for (Row row : request.rows()) {
            if (!keys.add(row.sourceKey())) {
                throw ApiException.badInput("rows", "source key " + row.sourceKey() + " is listed twice");
            }
        }
        return levelsByRank(request.tenantId()).flatMap(levels -> {
            List<EnrolRow> valid = new ArrayList<>();
            Map<String, EnrolResult> refused = new HashMap<>();
            for (Row row : request.rows()) {
                try {
                    valid.add(check(row, levels));
                } catch (ApiException e) {
                    refused.put(row.sourceKey(), EnrolResult.rejected(row.sourceKey(), e.getMessage()));
                }
            }
            Enrolment.Context context = new Enrolment.Context(new Operator(request.tenantId(), request.userId(),
                    request.userName() == null ? "" : request.userName()), request.shopId(),
                    request.shopName() == null ? "" : request.shopName(), request.cardClassId());
            Uni<List<EnrolResult>> enrolled = valid.isEmpty()
                    ? Uni.createFrom().item(List.of())
                    : enrolment.enrol(context, valid);
            return enrolled.map(results -> {
                Map<String, EnrolResult> byKey = new HashMap<>(refused);
                results.forEach(r -> byKey.put(r.sourceKey(), r));
                return ApiResponse.ok(request.rows().stream().map(r -> byKey.get(r.sourceKey())).toList());
            });
        });
    }

    private static EnrolRow check(Row row, Map<Integer, Long> levels) {
        Long level = null;
        if (row.levelRank() != null) {
            level = levels.get(row.levelRank());
            if (level == null) {
                throw ApiException.badInput("level", "no level of rank " + row.levelRank() + " in use");
            }
        }
        var profile = new MemberRepository.Profile(MemberRules.name("name", row.name(), true), MemberRules.sex("sex",
                row.sex()), MemberRules.birthday("birthday", row.birthday()),
                MemberRules.phone("phone", row.phone(), true), MemberRules.idCard("idCard", row.idCard()), "", "",
                level, List.of());
        int sendMode = row.sendMode() == null ? 3 : row.sendMode();
        if (sendMode < 1 || sendMode > 4) {
            throw ApiException.badInput("sendMode", "must be from 1 to 4");
        }
        long points = row.points() == null ? 0 : row.points();
        if (points < 0) {
            throw ApiException.badInput("points", "must be 0 or more");
        }
        return new EnrolRow(row.sourceKey(), profile, row.cardCode(), row.mac(), MacHashes.check(row.macHashes()),
                sendMode, row.expiresAt(), Money.of("actual", row.actual()), Money.of("give", row.give()), points);
    }

    private Uni<Map<Integer, Long>> levelsByRank(long tenantId) {
        return pool.preparedQuery("select level, id from member_level where tenant_id = $1 and in_use order by id")
                .execute(Tuple.of(tenantId))
                .map(rows -> {
                    Map<Integer, Long> byRank = new HashMap<>();
                    rows.forEach(r -> byRank.putIfAbsent(r.getInteger(0), r.getLong(1)));
                    return byRank;
                });
    }
}
