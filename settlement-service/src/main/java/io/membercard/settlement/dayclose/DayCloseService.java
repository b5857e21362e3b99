package io.membercard.settlement.dayclose;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.days.BusinessDay;
import io.membercard.common.limits.HeavyJobs;
import io.membercard.common.money.Money;
import io.membercard.common.paging.Page;
import io.membercard.common.paging.PageQuery;
import io.membercard.settlement.client.LedgerClient;
import io.membercard.settlement.config.SettlementConfig;
import io.membercard.settlement.settings.TenantDaySettings;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Day closes: a POST creates the close (or the next version of a changed one) and runs it; the run reads the day
 * from payment-service's ledger, checks it, and stores the report. The run holds a lease on its close and renews it
 * at each step, so a runner that dies leaves a close that shows 903 and that the next POST resumes from the start
 * (reading the ledger again changes nothing). No transaction is open while payment-service is asked.
 */
@ApplicationScoped
public class DayCloseService {
    private static final Logger LOG = Logger.getLogger(DayCloseService.class);
    private static final Duration EVENT_POLL = Duration.ofMillis(500);

    private final DayCloseRepository closes;
    private final LedgerClient ledger;
    private final SettlementConfig config;
    private final ObjectMapper mapper;
    private final DayReport reports;
    private final HeavyJobs heavyJobs;
    private final TenantDaySettings settings;
    private final Pool pool;

    public DayCloseService(DayCloseRepository closes, LedgerClient ledger, SettlementConfig config,
            ObjectMapper mapper, HeavyJobs heavyJobs, TenantDaySettings settings, Pool pool) {
        this.closes = closes;
        this.ledger = ledger;
        this.config = config;
        this.mapper = mapper;
        this.reports = new DayReport(mapper);
        this.heavyJobs = heavyJobs;
        this.settings = settings;
        this.pool = pool;
    }

    /** The tenant's business day {@code date} (by its cut-offs), refused when it has not begun yet. */
    public Uni<BusinessDay> day(long tenantId, String field, LocalDate date) {
        return settings.of(pool, tenantId).map(days -> {
            LocalDate today = days.holding(Instant.now());
            if (date.isAfter(today)) {
                throw ApiException.badInput(field, "is after today's business day (" + today + ")");
            }
            return days.day(date);
        });
    }

    /**
     * Closes the shop's day (a repeat of a finished close answers it; a close of a changed day makes the next
     * version; an interrupted one is resumed), waiting for it up to {@code answer-within}.
     */
    public Uni<DayStatus> close(long tenantId, Long shopId, LocalDate date, String userId, JsonNode cashCount) {
        return day(tenantId, "date", date).flatMap(day -> firstEntry(tenantId, shopId).flatMap(first -> {
            if (first == null) {
                throw ApiException.notFound("shop " + shopId + ": no ledger entries in this tenant");
            }
            if (!day.end().isAfter(first)) {
                return settings.of(pool, tenantId).map(days -> {
                    throw ApiException.badInput("date", "is before the shop's first entry (business day "
                            + days.holding(first) + ")");
                });
            }
            return closes.latest(tenantId, shopId, date);
        }).flatMap(latest -> {
            // A repeat answers the close; a close that is running answers 902. A day changed since its close (905),
            // or whose close's checks failed (events that came late, say), is closed again as the next version.
            if (latest.isPresent() && latest.get().closed() && !latest.get().changed() && passed(latest.get())) {
                // The day's state goes to payment-service again: a till that was refused for this day (a close
                // made before payment-service kept states, or an event it lost) is let through by closing it again.
                return (shopId == null ? Uni.createFrom().voidItem() : closes.publishState(tenantId, shopId, date))
                        .flatMap(ignored -> status(latest.get()));
            }
            if (latest.isPresent() && !latest.get().closed() && latest.get().live()) {
                return status(latest.get());
            }
            if (shopId == null) {
                return shopsNotClosed(tenantId, day).flatMap(ignored -> run(tenantId, shopId, date, day, userId,
                        cashCount, latest));
            }
            return run(tenantId, shopId, date, day, userId, cashCount, latest);
        }));
    }

    /** Refused (901) while a shop with entries in the day has not closed it. */
    private Uni<Void> shopsNotClosed(long tenantId, BusinessDay day) {
        return closes.shopsNotClosed(tenantId, day).map(open -> {
            if (!open.isEmpty()) {
                throw new ApiException(StatusCode.DAY_NOT_CLOSED, "shop" + (open.size() == 1 ? " " : "s ")
                        + open.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                        + " ha" + (open.size() == 1 ? "s" : "ve") + " not closed " + day.date()
                        + " yet (or closed it and it changed since, or its checks failed); the head office closes "
                        + "the day after its shops");
            }
            return null;
        });
    }

    private Uni<DayStatus> run(long tenantId, Long shopId, LocalDate date, BusinessDay day, String userId,
            JsonNode cashCount, Optional<CloseRow> latest) {
        // A close to run: it takes one of the tenant's heavy-job places first (429 and nothing done when they are
        // all held); the run gives it back when it ends.
        return heavyJobs.take(tenantId, place(tenantId, shopId, date)).flatMap(taken -> {
            if (latest.isEmpty()) {
                return createAndRun(tenantId, shopId, day, 1, userId, cashCount);
            }
            CloseRow close = latest.get();
            return close.closed() || close.reopened()
                    ? createAndRun(tenantId, shopId, day, close.version() + 1, userId, cashCount)
                    : runAndAnswer(close);
        });
    }

    /**
    * When the shop's first entry was written: from settlement's own record, or from payment-service when it has
    * none yet (a new shop whose events are still on their way, or none at all).
    */
    private Uni<Instant> firstEntry(long tenantId, Long shopId) {
        return closes.firstEntry(tenantId, shopId).flatMap(known -> known != null
                ? Uni.createFrom().item(known)
                : ledger.firstEntry(tenantId, shopId));
    }

    private static boolean passed(CloseRow close) {
        return !Boolean.FALSE.equals(close.checksPassed());
    }

    /** The heavy-job place of a day's close: one per shop-day, whichever version or runner. */
    private static String place(long tenantId, Long shopId, LocalDate date) {
        return "dayclose:" + (shopId == null ? "all" : shopId) + ":" + date;
    }

    private Uni<DayStatus> createAndRun(long tenantId, Long shopId, BusinessDay day, int version, String userId,
            JsonNode cashCount) {
        String counted = cashCount == null || cashCount.isNull() ? null : cashCount.toString();
        return closes.create(tenantId, shopId, day, version, userId, counted)
                .flatMap(ignored -> closes.version(tenantId, shopId, day.date(), version))
                .flatMap(close -> {
                    CloseRow row = close.orElseThrow();
                    return row.closed() || row.live() ? status(row) : runAndAnswer(row);
                });
    }

    /**
     * Runs the close apart from the request, so that it goes on when the answer is sent: the answer is its outcome if
     * it comes within {@code answer-within}, else the close as it stands (902 with its progress).
     */
    private Uni<DayStatus> runAndAnswer(CloseRow close) {
        CompletableFuture<DayStatus> done = new CompletableFuture<>();
        // Each claim holds the close under a token of its own: a run that lost the close (its lease ran out and
        // another run took it, in this instance or another) can renew, release or store nothing of the new run's.
        String token = UUID.randomUUID().toString();
        closes.claim(close.id(), token, config.lease())
                .flatMap(claimed -> claimed.isPresent() ? run(claimed.get(), token) : reread(close))
                // A run that failed left the close as it stands (903 with why, or taken over): that is the answer.
                .onFailure().recoverWithUni(e -> reread(close))
                .flatMap(this::status)
                .subscribe().with(done::complete, done::completeExceptionally);
        return Uni.createFrom().completionStage(done)
                .ifNoItem().after(config.answerWithin()).recoverWithUni(() -> reread(close).flatMap(this::status));
    }

    private Uni<CloseRow> reread(CloseRow close) {
        return closes.version(close.tenantId(), close.shopId(), close.date(), close.version())
                .map(Optional::orElseThrow);
    }

    /** The run: read the ledger, wait for the events to catch up, check, store. */
    private Uni<CloseRow> run(CloseRow close, String token) {
        LOG.infof("day close of tenant %d shop %s %s version %d: run %d begins", close.tenantId(), close.shopId(),
                close.date(), close.version(), close.attempts());
        BusinessDay day = new BusinessDay(close.date(), close.dayStart(), close.dayEnd());
        return step(close, token, "reading the ledger")
                .flatMap(ignored -> heartbeat(close, token, "reading the ledger",
                        ledger.shopDay(close.tenantId(), close.shopId(), day.start(), day.end())))
                .flatMap(shopDay -> step(close, token, "checking " + shopDay.path("entries").asLong()
                        + " entries against settlement's record")
                        .flatMap(ignored -> recorded(close, token, day, shopDay, Instant.now().plus(config.eventLag())))
                        .flatMap(recorded -> previousReport(close)
                                .flatMap(previous -> headOffice(close).map(office -> reports.build(close, shopDay,
                                        recorded, json(close.cashCount()), previous, office))))
                        .flatMap(report -> step(close, token, "storing the report")
                                .flatMap(ignored -> closes.finish(close.id(), token,
                                        shopDay.path("snapshot").asText(), report.toString(),
                                        DayReport.passed(report)))))
                .map(stored -> stored.orElseThrow(() -> new ApiException(StatusCode.CONFLICT,
                        "another runner took the day close over; it goes on there")))
                .invoke(stored -> LOG.infof("day close of tenant %d shop %s %s version %d: closed (%s)",
                        stored.tenantId(), stored.shopId(), stored.date(), stored.version(),
                        stored.changed() ? "changed since" : "as read"))
                .onFailure().call(e -> {
                    LOG.warnf("day close of tenant %d shop %s %s version %d interrupted: %s", close.tenantId(),
                            close.shopId(), close.date(), close.version(), e.toString());
                    return closes.release(close.id(), token, "interrupted: " + brief(e));
                })
                .eventually(() -> heavyJobs.release(close.tenantId(),
                        place(close.tenantId(), close.shopId(), close.date())));
    }

    /**
    * {@code work} with the lease renewed every third of its length while it goes on (a day of a million entries takes
    * payment-service seconds to read): the close stays 902 while its runner lives, and turns 903 soon after it dies.
    */
    private <T> Uni<T> heartbeat(CloseRow close, String token, String progress, Uni<T> work) {
        return Uni.createFrom().deferred(() -> {
            io.smallrye.mutiny.subscription.Cancellable beats = io.smallrye.mutiny.Multi.createFrom().ticks()
                    .every(config.lease().dividedBy(3))
                    // A beat that fails or is late is skipped, not the end of the beats.
                    .onOverflow().drop()
                    .onItem().transformToUniAndConcatenate(tick -> closes.renew(close.id(), token, config.lease(),
                            progress).onFailure().recoverWithItem(false))
                    .subscribe().with(held -> {
                    }, e -> LOG.debugf("day close %d: a lease renewal failed: %s", close.id(), e.toString()));
            return work.eventually(beats::cancel);
        });
    }

    /**
     * Renews the lease (and the heavy-job place) with what the run does now; fails when another runner took the
    * close over.
    */
    private Uni<Void> step(CloseRow close, String token, String progress) {
        return heavyJobs.renew(close.tenantId(), place(close.tenantId(), close.shopId(), close.date()))
                .flatMap(ignored -> closes.renew(close.id(), token, config.lease(), progress)).map(held -> {
                    if (!held) {
                        throw new ApiException(StatusCode.CONFLICT, "another runner took the day close over");
                    }
                    return null;
                });
    }

    /**
     * settlement's record of the day as the ledger's snapshot saw it, once it agrees with the ledger or once
     * {@code until} has passed (events still missing then show in the eventsAgree check).
     */
    private Uni<Map<String, DayCloseRepository.KindSum>> recorded(CloseRow close, String token, BusinessDay day,
            JsonNode shopDay, Instant until) {
        return closes.recorded(close.tenantId(), close.shopId(), day, shopDay.path("snapshot").asText())
                .flatMap(recorded -> {
                    if (DayReport.differences(shopDay, recorded).isEmpty() || Instant.now().isAfter(until)) {
                        return Uni.createFrom().item(recorded);
                    }
                    return step(close, token, "waiting for payment-service's events")
                            .onItem().delayIt().by(EVENT_POLL)
                            .flatMap(ignored -> recorded(close, token, day, shopDay, until));
                });
    }

    /**
    * For the tenant's whole day: the shops that closed it and the liability the head office's close of the day
    * before ended with (null when there is none).
    */
    private Uni<DayReport.HeadOffice> headOffice(CloseRow close) {
        if (close.shopId() != null) {
            return Uni.createFrom().nullItem();
        }
        return closes.closedShops(close.tenantId(), close.date())
                .flatMap(shops -> closes.latestWithReport(close.tenantId(), null, close.date().minusDays(1))
                        .map(before -> new DayReport.HeadOffice(shops, before.filter(CloseRow::closed)
                                .map(b -> json(b.report()).path("liability").path("closing"))
                                .filter(JsonNode::isObject).orElse(null),
                                before.filter(b -> !b.closed()).map(b -> b.status().defaultMessage()).orElse(null))));
    }

    private Uni<JsonNode> previousReport(CloseRow close) {
        if (close.version() == 1) {
            return Uni.createFrom().nullItem();
        }
        return closes.version(close.tenantId(), close.shopId(), close.date(), close.version() - 1)
                .map(previous -> previous.map(p -> json(p.report())).orElse(null));
    }

    /** The day's status: 901 when it has no close. */
    public Uni<DayStatus> status(long tenantId, Long shopId, LocalDate date) {
        return day(tenantId, "date", date).flatMap(ignored -> closes.latest(tenantId, shopId, date))
                .flatMap(latest -> latest.isPresent()
                        ? status(latest.get())
                        : Uni.createFrom()
                                .item(new DayStatus(shopId, date.toString(), StatusCode.DAY_NOT_CLOSED.code(), null,
                                        null, null, "not closed", null)));
    }

    private Uni<DayStatus> status(CloseRow close) {
        Boolean passed = close.closed() ? close.checksPassed() : null;
        Uni<DayStatus.Difference> difference = close.changed() ? difference(close) : Uni.createFrom().nullItem();
        return difference.map(d -> new DayStatus(close.shopId(), close.date().toString(), close.status().code(),
                close.version(), close.closedAt(), d, close.progress(), passed));
    }

    /** The changed cells (summed in the database) and the first 100 entries behind them. */
    private Uni<DayStatus.Difference> difference(CloseRow close) {
        return closes.changeSums(close.id()).flatMap(sums -> closes.changes(close.id(), 100).map(changes -> {
            Map<String, DayStatus.Cell> cells = new LinkedHashMap<>();
            long count = 0;
            for (DayCloseRepository.ChangeSum sum : sums) {
                String operation = operation(sum.kind());
                count += sum.count();
                DayStatus.Cell cell = new DayStatus.Cell(operation, sum.paymentType(), sum.count(),
                        sum.actualMoney().add(sum.giveMoney()), sum.actualMoney(), sum.giveMoney());
                cells.merge(operation + "/" + sum.paymentType(), cell,
                        (a, b) -> new DayStatus.Cell(a.operation(), a.paymentType(), a.count() + b.count(),
                                a.money().add(b.money()), a.actualMoney().add(b.actualMoney()),
                                a.giveMoney().add(b.giveMoney())));
            }
            List<DayStatus.Entry> entries = new ArrayList<>();
            for (DayCloseRepository.Change change : changes) {
                entries.add(new DayStatus.Entry(change.entryId(), change.kind(), operation(change.kind()),
                        change.billNo(), change.cardCode(), change.paymentType(),
                        change.actualMoney().add(change.giveMoney()), change.actualMoney(), change.giveMoney(),
                        change.createdAt()));
            }
            return new DayStatus.Difference(count, List.copyOf(cells.values()), entries);
        }));
    }

    /**
    * Reopens the day's close (manager): only a closed day, only the shop's latest closed day, and a shop's day only
    * while the head office has not closed that date. The close stays readable; the day is 901 again and its next
    * close is the next version. Audited with {@code reason}.
    */
    public Uni<DayStatus> reopen(long tenantId, Long shopId, LocalDate date, String reason, String userId,
            String userName) {
        Uni<Void> headOfficeOpen = shopId == null
                ? day(tenantId, "date", date).replaceWithVoid()
                : day(tenantId, "date", date).flatMap(ignored -> closes.latest(tenantId, null, date).map(office -> {
                    if (office.isPresent() && office.get().closed()) {
                        throw new ApiException(StatusCode.CONFLICT, "the head office has closed " + date
                                + "; reopen its close first");
                    }
                    return null;
                }));
        return headOfficeOpen.flatMap(ignored -> closes.latest(tenantId, shopId, date)).flatMap(latest -> {
            if (latest.isEmpty() || !latest.get().closed()) {
                throw new ApiException(StatusCode.CONFLICT, "only a closed day can be reopened; " + date + " is "
                        + (latest.isEmpty() ? "not closed" : latest.get().status().defaultMessage()));
            }
            CloseRow close = latest.get();
            return closes.reopen(close, reason, userId, userName).flatMap(done -> {
                if (!done) {
                    throw new ApiException(StatusCode.CONFLICT, "only the latest closed day can be reopened (a later "
                            + "day is closed or closing), and a shop's day only while the head office is not closing "
                            + "or has not closed that date");
                }
                LOG.infof("day close of tenant %d shop %s %s version %d reopened by %s", tenantId, shopId, date,
                        close.version(), userId);
                return reread(close).flatMap(this::status);
            });
        });
    }

    /** Who reopened the day's closes or let the shop trade on, when and why. */
    public Uni<List<DayCloseRepository.Audit>> audit(long tenantId, Long shopId, LocalDate date) {
        return closes.auditOfDay(tenantId, shopId, date);
    }

    /**
     * Lets the shop's money operations run while {@code date}, a past business day, is not closed (where the tenant
     * blocks them), audited with {@code reason}. Answers the day's status.
     */
    public Uni<DayStatus> allowTrading(long tenantId, long shopId, LocalDate date, String reason, String userId,
            String userName) {
        return settings.of(pool, tenantId).flatMap(days -> {
            LocalDate today = days.holding(Instant.now());
            if (!date.isBefore(today)) {
                throw ApiException.badInput("date", "must be a business day before today's (" + today + ")");
            }
            return closes.allow(tenantId, shopId, date, reason, userId, userName);
        }).flatMap(ignored -> {
            LOG.infof("tenant %d shop %d may trade on while %s is not closed (by %s)", tenantId, shopId, date,
                    userId);
            return status(tenantId, shopId, date);
        });
    }

    /** The report's operation of an entry kind, as far as the kind tells it. */
    static String operation(String kind) {
        return switch (kind) {
            case "RECHARGE" -> "recharge";
            case "RECHARGE_REFUND", "RECHARGE_REFUND_REVERSED" -> "rechargeRefund";
            case "PAYMENT" -> "payment";
            case "PAYMENT_REFUND" -> "paymentRefund";
            case "OPENING" -> "opening";
            case "CARD_RETURN" -> "cardReturn";
            case "CARD_REPLACED" -> "replacement";
            case "MIGRATED_OUT", "MIGRATED_IN" -> "migration";
            case "GIFT_EXCHANGE" -> "giftExchange";
            case "POINTS_EXPIRED" -> "pointsExpiry";
            default -> kind;
        };
    }

    /** The report of a version (the newest when null), with its status; empty when that version is not closed. */
    public Uni<Optional<ObjectNode>> report(long tenantId, Long shopId, LocalDate date, Integer version,
            StatusHolder status) {
        Uni<Optional<CloseRow>> close = day(tenantId, "date", date).flatMap(ignored -> version == null
                ? closes.latestWithReport(tenantId, shopId, date)
                : closes.version(tenantId, shopId, date, version));
        return close.map(found -> {
            if (found.isEmpty()) {
                status.code = version == null ? StatusCode.DAY_NOT_CLOSED : StatusCode.NOT_FOUND;
                return Optional.empty();
            }
            CloseRow row = found.get();
            status.code = row.status();
            if (row.report() == null) {
                return Optional.empty();
            }
            ObjectNode report = (ObjectNode) json(row.report());
            ObjectNode out = mapper.createObjectNode();
            out.set("shopId", report.get("shopId"));
            out.put("date", row.date().toString());
            out.put("status", row.status().code());
            out.put("version", row.version());
            out.set("closedAt", mapper.valueToTree(row.closedAt()));
            out.put("reopened", row.reopened());
            out.setAll(report);
            return Optional.of(out);
        });
    }

    /** The status a report read found (an out parameter of {@link #report}). */
    public static final class StatusHolder {
        public StatusCode code = StatusCode.OK;
    }

    /** The days of {@code [from, to]} that have a close, newest first, with the sums of their grand totals. */
    public Uni<Page<DayListItem, DayListItem.Sums>> list(long tenantId, Long shopId, LocalDate from, LocalDate to,
            PageQuery page) {
        return closes.list(tenantId, shopId, from, to)
                .map(rows -> {
                    BigDecimal money = Money.ZERO;
                    BigDecimal actual = Money.ZERO;
                    BigDecimal give = Money.ZERO;
                    long entries = 0;
                    List<DayListItem> items = new ArrayList<>();
                    for (CloseRow row : rows) {
                        DayListItem item = DayListItem.of(row, json(row.report()));
                        items.add(item);
                        if (!row.closed()) {
                            // A reopened or running day is listed; only closed days' figures are summed.
                            continue;
                        }
                        money = money.add(item.money());
                        actual = actual.add(item.actualMoney());
                        give = give.add(item.giveMoney());
                        entries += item.entries();
                    }
                    List<DayListItem> shown = items.stream().skip(page.offset()).limit(page.pageSize())
                            .toList();
                    return Page.of(page, shown, rows.size(),
                            new DayListItem.Sums(entries, money, actual, give));
                });
    }

    private JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored JSON", e);
        }
    }

    private static String brief(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > 45 ? message.substring(0, 45) : message;
    }
}
