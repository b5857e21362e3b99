package io.membercard.common.days;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A tenant's day-close options, kept by member-service with its other settings and sent to payment-service and
 * settlement-service as {@code tenant.dayclose} events (the whole settings each time, so that a repeated or late
 * event changes nothing).
 * <p>
  * <b>Cut-offs.</b> Business days begin at a cut-off time in a zone. A tenant that changes them changes them from the
 * day after tomorrow, never for a day that may have entries or a close: {@code cutOffs} is the
 * history, each from its first day on (the first from always). A day runs from its own start to the next day's, so
 * the day before a change is longer or shorter and no moment belongs to two days or to none.
 *
 * @param autoCloseSince when automatic closing was switched on: only days that end after it are closed by it
 * @param graceMinutes how long after a day's end the automatic close runs (late entries of the day come in first)
 * @param unclosedDay what a shop's money operations get while its previous business day is not closed
 * @param decidedAt when these settings were saved; a receiver keeps the newest
 */
public record DaySettings(List<CutOff> cutOffs, boolean autoClose, Instant autoCloseSince, int graceMinutes,
        UnclosedDay unclosedDay, Instant decidedAt) {
    public static final String EVENT = "tenant.dayclose";
    public static final int MAX_GRACE_MINUTES = 1440;
    public static final int DEFAULT_GRACE_MINUTES = 60;
    /** The longest a business day may last across a change of cut-off (settlement-service looks this far back). */
    public static final java.time.Duration MAX_DAY = java.time.Duration.ofHours(48);

    /** What a shop's money operations get while its previous business day is not closed. */
    public enum UnclosedDay {
        /** Nothing: they run as always. */
        NONE,
        /** They run, and the answer's {@code message} says the day is not closed. */
        WARN,
        /** Refused with 901, unless a manager makes them or has allowed the shop to trade on. */
        BLOCK;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Null when {@code text} is none of none, warn and block. */
        public static UnclosedDay of(String text) {
            for (UnclosedDay value : values()) {
                if (value.wire().equalsIgnoreCase(text == null ? "" : text.trim())) {
                    return value;
                }
            }
            return null;
        }
    }

    /** From {@code from} on (null: since always), business days begin at {@code at} in {@code zone}. */
    public record CutOff(LocalDate from, LocalTime at, ZoneId zone) {
        Instant start(LocalDate date) {
            return date.atTime(at).atZone(zone).toInstant();
        }
    }

    public DaySettings {
        cutOffs = List.copyOf(cutOffs);
        if (cutOffs.isEmpty() || cutOffs.get(0).from() != null) {
            throw new IllegalArgumentException("the first cut-off must hold since always");
        }
    }

    /** The platform's settings: days from {@code cutOff} in {@code zone}, no automatic close, no warning. */
    public static DaySettings defaults(LocalTime cutOff, ZoneId zone) {
        return new DaySettings(List.of(new CutOff(null, cutOff, zone)), false, null, DEFAULT_GRACE_MINUTES,
                UnclosedDay.NONE, null);
    }

    /** The cut-off that holds on {@code date}. */
    public CutOff cutOff(LocalDate date) {
        for (int i = cutOffs.size() - 1; i > 0; i--) {
            if (!cutOffs.get(i).from().isAfter(date)) {
                return cutOffs.get(i);
            }
        }
        return cutOffs.get(0);
    }

    /** When business day {@code date} begins. */
    public Instant start(LocalDate date) {
        return cutOff(date).start(date);
    }

    public BusinessDay day(LocalDate date) {
        return new BusinessDay(date, start(date), start(date.plusDays(1)));
    }

    /** The business day that holds {@code at}. */
    public LocalDate holding(Instant at) {
        CutOff guess = cutOff(at.atZone(ZoneOffset.UTC).toLocalDate());
        var local = at.atZone(guess.zone()).toLocalDateTime();
        LocalDate date = local.toLocalTime().isBefore(guess.at())
                ? local.toLocalDate().minusDays(1)
                : local.toLocalDate();
        // Near a change the guess may be a day off: days begin in order, so step to the one that holds it.
        for (int i = 0; i < 3 && start(date).isAfter(at); i++) {
            date = date.minusDays(1);
        }
        for (int i = 0; i < 3 && !start(date.plusDays(1)).isAfter(at); i++) {
            date = date.plusDays(1);
        }
        return date;
    }

    /**
    * These settings with days beginning at {@code at} in {@code zone} from the day after tomorrow's business day on;
    * a change planned for later is replaced. The same cut-off as then changes nothing. Tomorrow, whose end moves, is
    * a day that no shop can have closed yet (today may be closed early), and the change has a day to reach every
    * service before it matters.
    *
    * @throws IllegalArgumentException when tomorrow would last less than an hour or more than {@link #MAX_DAY}
    */
    public List<CutOff> changedCutOffs(LocalTime at, ZoneId zone, Instant now) {
        LocalDate from = holding(now).plusDays(2);
        LocalDate first = from;
        List<CutOff> kept = new ArrayList<>(cutOffs.stream().filter(c -> c.from() == null || c.from().isBefore(first))
                .toList());
        CutOff before = kept.get(kept.size() - 1);
        if (before.at().equals(at) && before.zone().equals(zone)) {
            return kept;
        }
        java.time.Duration changed = java.time.Duration.between(before.start(from.minusDays(1)), at(from, at, zone));
        if (changed.compareTo(java.time.Duration.ofHours(1)) < 0 || changed.compareTo(MAX_DAY) > 0) {
            throw new IllegalArgumentException("with this cut-off and zone, business day " + from.minusDays(1)
                    + " would last " + changed.toMinutes() + " minutes (1 to " + MAX_DAY.toHours() + " hours allowed):"
                    + " change the zone and the cut-off in smaller steps");
        }
        kept.add(new CutOff(from, at, zone));
        return kept;
    }

    private static Instant at(LocalDate date, LocalTime at, ZoneId zone) {
        return date.atTime(at).atZone(zone).toInstant();
    }

    /** The settings as events and tables carry them. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        var list = node.putArray("cutOffs");
        for (CutOff c : cutOffs) {
            list.addObject().put("from", c.from() == null ? null : c.from().toString())
                    .put("cutOff", c.at().toString()).put("zone", c.zone().getId());
        }
        node.put("autoClose", autoClose);
        node.put("autoCloseSince", autoCloseSince == null ? null : autoCloseSince.toString());
        node.put("graceMinutes", graceMinutes);
        node.put("unclosedDay", unclosedDay.wire());
        node.put("decidedAt", decidedAt == null ? null : decidedAt.toString());
        return node;
    }

    /** Reads {@link #toJson()}'s shape; what is missing or unreadable is taken from {@code defaults}. */
    public static DaySettings read(JsonNode node, DaySettings defaults) {
        List<CutOff> cutOffs = new ArrayList<>();
        for (JsonNode c : node.path("cutOffs")) {
            try {
                LocalDate from = c.path("from").isTextual() ? LocalDate.parse(c.path("from").asText()) : null;
                if (from == null
                        ? cutOffs.isEmpty()
                        : !cutOffs.isEmpty()
                                && (cutOffs.get(cutOffs.size() - 1).from() == null
                                        || from.isAfter(cutOffs.get(cutOffs.size() - 1).from()))) {
                    cutOffs.add(new CutOff(from, LocalTime.parse(c.path("cutOff").asText()),
                            ZoneId.of(c.path("zone").asText())));
                }
            } catch (DateTimeException e) {
                // An unreadable step is skipped: the ones around it still hold.
            }
        }
        if (cutOffs.isEmpty()) {
            cutOffs.addAll(defaults.cutOffs());
        }
        UnclosedDay unclosed = UnclosedDay.of(node.path("unclosedDay").asText(null));
        int grace = node.path("graceMinutes").canConvertToInt()
                ? node.path("graceMinutes").asInt()
                : defaults.graceMinutes();
        return new DaySettings(cutOffs, node.path("autoClose").asBoolean(defaults.autoClose()),
                instant(node.path("autoCloseSince")), Math.max(0, Math.min(MAX_GRACE_MINUTES, grace)),
                unclosed == null ? defaults.unclosedDay() : unclosed, instant(node.path("decidedAt")));
    }

    private static Instant instant(JsonNode node) {
        try {
            return node.isTextual() ? Instant.parse(node.asText()) : null;
        } catch (DateTimeException e) {
            return null;
        }
    }
}
