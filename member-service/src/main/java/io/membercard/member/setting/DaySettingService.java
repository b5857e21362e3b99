package io.membercard.member.setting;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.api.ApiException;
import io.membercard.common.days.DaySettings;
import io.membercard.common.days.DaySettings.UnclosedDay;
import io.membercard.common.events.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The tenant's day-close options (getdayclose, savedayclose): the cut-off and zone of its business days, automatic
 * closing, and what a shop's money operations get while its previous day is not closed. A save is sent to
 * payment-service and settlement-service ({@code tenant.dayclose}) in the same transaction.
 */
@ApplicationScoped
public class DaySettingService {
    private static final Logger LOG = Logger.getLogger(DaySettingService.class);
    private static final java.util.regex.Pattern HH_MM = java.util.regex.Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d");

    private final Pool pool;
    private final TenantDaySettings store;
    private final Outbox outbox;

    public DaySettingService(Pool pool, TenantDaySettings store, Outbox outbox) {
        this.pool = pool;
        this.store = store;
        this.outbox = outbox;
    }

    /** Body of savedayclose: each field left out keeps its value. */
    public record Save(String cutOff, String zone, Boolean autoClose, Integer graceMinutes, String unclosedDay) {
    }

    /** One step of the cut-off's history: from that business day on (null: since always). */
    public record CutOffView(String from, String cutOff, String zone) {
    }

    /**
     * The options: {@code cutOff} and {@code zone} of today's business day ({@code today}), {@code cutOffs} with the
     * history and a change to come, and the rest as saved.
     */
    public record View(String today, String cutOff, String zone, List<CutOffView> cutOffs, boolean autoClose,
            int graceMinutes, String unclosedDay) {
    }

    public Uni<View> get(long tenantId) {
        return store.of(pool, tenantId).map(settings -> view(settings, Instant.now()));
    }

    public Uni<View> save(long tenantId, Save body) {
        if (body == null) {
            throw ApiException.badInput("body", "is required");
        }
        LocalTime cutOff = null;
        if (body.cutOff() != null) {
            if (!HH_MM.matcher(body.cutOff().trim()).matches()) {
                throw ApiException.badInput("cutOff", "must be a time of day as HH:mm, 00:00 to 23:59");
            }
            cutOff = LocalTime.parse(body.cutOff().trim());
        }
        ZoneId zone = null;
        if (body.zone() != null) {
            if (!ZoneId.getAvailableZoneIds().contains(body.zone().trim())) {
                throw ApiException.badInput("zone", "must be a time zone such as Asia/Shanghai");
            }
            zone = ZoneId.of(body.zone().trim());
        }
        if (body.graceMinutes() != null
                && (body.graceMinutes() < 0 || body.graceMinutes() > DaySettings.MAX_GRACE_MINUTES)) {
            throw ApiException.badInput("graceMinutes", "must be 0 to " + DaySettings.MAX_GRACE_MINUTES);
        }
        UnclosedDay unclosed = body.unclosedDay() == null ? null : UnclosedDay.of(body.unclosedDay());
        if (body.unclosedDay() != null && unclosed == null) {
            throw ApiException.badInput("unclosedDay", "must be none, warn or block");
        }
        LocalTime newCutOff = cutOff;
        ZoneId newZone = zone;
        return pool.withTransaction(tx -> store.locked(tx, tenantId).flatMap(current -> {
            // Later than the settings it replaces, whatever this replica's clock says: receivers keep the newest.
            Instant clock = Instant.now();
            Instant now = current.decidedAt() != null && !clock.isAfter(current.decidedAt())
                    ? current.decidedAt().plusNanos(1000)
                    : clock;
            List<DaySettings.CutOff> cutOffs = current.cutOffs();
            if (newCutOff != null || newZone != null) {
                DaySettings.CutOff today = current.cutOff(current.holding(now));
                try {
                    cutOffs = current.changedCutOffs(newCutOff == null ? today.at() : newCutOff,
                            newZone == null ? today.zone() : newZone, now);
                } catch (IllegalArgumentException e) {
                    return Uni.createFrom().failure(ApiException.badInput(newZone == null ? "cutOff" : "zone",
                            e.getMessage()));
                }
            }
            boolean auto = body.autoClose() == null ? current.autoClose() : body.autoClose();
            DaySettings next = new DaySettings(cutOffs, auto,
                    !auto
                            ? null
                            : current.autoClose() && current.autoCloseSince() != null
                                    ? current.autoCloseSince()
                                    : now,
                    body.graceMinutes() == null ? current.graceMinutes() : body.graceMinutes(),
                    unclosed == null ? current.unclosedDay() : unclosed, now);
            LOG.infof("tenant %d: day-close settings now %s", tenantId, next.toJson());
            return store.store(tx, tenantId, next)
                    .flatMap(ignored -> outbox.append(tx, tenantId, DaySettings.EVENT, Long.toString(tenantId),
                            next.toJson()))
                    .map(ignored -> view(next, now));
        }));
    }

    static View view(DaySettings settings, Instant now) {
        LocalDate today = settings.holding(now);
        DaySettings.CutOff current = settings.cutOff(today);
        return new View(today.toString(), current.at().toString(), current.zone().getId(),
                settings.cutOffs().stream().map(c -> new CutOffView(c.from() == null ? null : c.from().toString(),
                        c.at().toString(), c.zone().getId())).toList(),
                settings.autoClose(), settings.graceMinutes(), settings.unclosedDay().wire());
    }
}
