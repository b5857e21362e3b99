package io.membercard.settlement.dayclose;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.membercard.common.money.Money;

/**
 * A day close's report, built from the ledger payment-service read and checked against it: the cells by operation
 * and payment type, the totals three ways, the points, the checks with their results, the items carried in doubt,
 * the optional cash count, and (from version 2) what changed since the version before. Stored as JSON with the close;
 * {@code status} is added when it is read, since a later entry can change it.
 */
final class DayReport {
    /** The ledger entry kinds each operation of the report comes from. */
    static final Map<String, Set<String>> KINDS = Map.ofEntries(Map.entry("recharge", Set.of("RECHARGE")),
            Map.entry("rechargeRefund", Set.of("RECHARGE_REFUND", "RECHARGE_REFUND_REVERSED")),
            Map.entry("payment", Set.of("PAYMENT")), Map.entry("payCodePayment", Set.of("PAYMENT")),
            Map.entry("paymentRefund", Set.of("PAYMENT_REFUND")), Map.entry("payCodeRefund", Set.of("PAYMENT_REFUND")),
            Map.entry("opening", Set.of("OPENING")), Map.entry("cardReturn", Set.of("CARD_RETURN")),
            Map.entry("bonusForfeit", Set.of("CARD_RETURN")), Map.entry("replacement", Set.of("CARD_REPLACED")),
            Map.entry("migration", Set.of("MIGRATED_OUT", "MIGRATED_IN")),
            Map.entry("giftExchange", Set.of("GIFT_EXCHANGE")), Map.entry("pointsExpiry", Set.of("POINTS_EXPIRED")));

    /** The operations whose money goes through the till by its payment type: what a cash count is checked against. */
    static final Set<String> TILL = Set.of("recharge", "rechargeRefund", "cardReturn");

    private final ObjectMapper mapper;

    DayReport(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The report of {@code ledger} (payment-service's ShopDay), checked against settlement's own record of the day
     * ({@code recorded}, by kind), with the cash counted at the till ({@code cashCount}, may be null) and the version
     * before ({@code previous}, may be null).
     */
    ObjectNode build(CloseRow close, JsonNode ledger, Map<String, DayCloseRepository.KindSum> recorded,
            JsonNode cashCount, JsonNode previous, HeadOffice office) {
        ObjectNode report = mapper.createObjectNode();
        if (close.shopId() == null) {
            report.putNull("shopId");
        } else {
            report.put("shopId", close.shopId());
        }
        report.put("date", close.date().toString());
        report.put("version", close.version());
        report.set("dayStart", mapper.valueToTree(close.dayStart()));
        report.set("dayEnd", mapper.valueToTree(close.dayEnd()));
        report.put("entries", ledger.path("entries").asLong());
        ArrayNode lines = report.putArray("lines");
        for (JsonNode line : ledger.path("lines")) {
            lines.add(line(line));
        }
        ObjectNode totals = report.putObject("totals");
        ArrayNode byOperation = totals.putArray("byOperation");
        for (JsonNode operation : ledger.path("operations")) {
            ObjectNode total = line(operation);
            total.remove("paymentType");
            byOperation.add(total);
        }
        ArrayNode byPaymentType = totals.putArray("byPaymentType");
        Map<String, BigDecimal[]> types = new TreeMap<>();
        for (JsonNode line : ledger.path("lines")) {
            String type = line.path("paymentType").isNull() ? "" : line.path("paymentType").asText();
            BigDecimal[] sums = types.computeIfAbsent(type, t -> zeros(3));
            add(sums, line.path("money"), line.path("actualMoney"), line.path("giveMoney"));
        }
        types.forEach((type, sums) -> {
            ObjectNode total = byPaymentType.addObject();
            if (type.isEmpty()) {
                total.putNull("paymentType");
            } else {
                total.put("paymentType", Integer.parseInt(type));
            }
            money(total, sums);
        });
        BigDecimal[] grand = zeros(3);
        for (JsonNode kind : ledger.path("kinds")) {
            grand[1] = grand[1].add(kind.path("actualMoney").decimalValue());
            grand[2] = grand[2].add(kind.path("giveMoney").decimalValue());
        }
        grand[0] = grand[1].add(grand[2]);
        ObjectNode grandTotal = totals.putObject("grand");
        grandTotal.put("count", ledger.path("entries").asLong());
        money(grandTotal, grand);
        ArrayNode points = report.putArray("points");
        for (JsonNode operation : ledger.path("operations")) {
            if (operation.path("points").asLong() != 0 || operation.path("usedPoints").asLong() != 0
                    || operation.path("expiredPoints").asLong() != 0) {
                ObjectNode p = points.addObject();
                p.put("operation", operation.path("operation").asText());
                p.put("count", operation.path("count").asLong());
                p.put("points", operation.path("points").asLong());
                p.put("usedPoints", operation.path("usedPoints").asLong());
                p.put("expiredPoints", operation.path("expiredPoints").asLong());
            }
        }
        ArrayNode checks = report.putArray("checks");
        checks.add(linesMatchLedger(ledger));
        checks.add(totalsAgree(ledger, byOperation, types, grand));
        checks.add(breaches(ledger, "refundsWithinOriginals", "refunds never exceed what they refund",
                Set.of("refundOverPayment", "refundOverRecharge")));
        checks.add(breaches(ledger, "movesPaired", "replacements and migrations net to zero", Set.of("unpairedMove")));
        checks.add(breaches(ledger, "paymentTypesMatch", "what each recharge took in, and each recharge refund or "
                + "card return paid back, equals its parts by payment type", Set.of("typedPartsMismatch")));
        checks.add(eventsAgree(ledger, recorded));
        if (office != null) {
            report.set("shops", shops(ledger, office, checks));
            report.set("liability", liability(ledger, grand, office, checks));
        }
        report.set("carried", ledger.path("carried").deepCopy());
        if (cashCount != null && cashCount.isArray() && !cashCount.isEmpty()) {
            report.set("cashCount", cashCount(ledger, cashCount));
        }
        if (previous != null) {
            report.set("previous", previous(previous, lines));
        }
        return report;
    }

    /**
    * What the tenant's whole day needs besides the ledger: the shops that closed the day, and the liability the
    * head office's close of the day before ended with ({@code {actualMoney, giveMoney, points}}, or null).
    */
    record HeadOffice(Set<Long> closedShops, JsonNode previousClosing, String previousNotClosed) {
    }

    /**
     * Each shop's actual money taken in and spent at its tills, and the difference (what it holds of money its
     * customers spent elsewhere, or is owed); the check that every shop with entries closed the day.
     */
    private ArrayNode shops(JsonNode ledger, HeadOffice office, ArrayNode checks) {
        ArrayNode shops = mapper.createArrayNode();
        List<String> open = new ArrayList<>();
        for (JsonNode shop : ledger.path("shops")) {
            ObjectNode line = shops.addObject();
            line.set("shopId", shop.path("shopId").deepCopy());
            line.put("entries", shop.path("entries").asLong());
            BigDecimal in = shop.path("actualIn").decimalValue().setScale(2);
            BigDecimal spent = shop.path("actualSpent").decimalValue().setScale(2);
            line.put("actualIn", in);
            line.put("actualSpent", spent);
            line.put("net", in.subtract(spent));
            if (shop.path("shopId").isNumber()) {
                boolean closed = office.closedShops().contains(shop.path("shopId").asLong());
                line.put("closed", closed);
                if (!closed) {
                    open.add("shop " + shop.path("shopId").asLong() + " has entries but has not closed the day");
                }
            }
        }
        checks.add(check("shopsClosed", "every shop with entries in the day closed it before the head office", open));
        return shops;
    }

    /**
     * The liability roll: the day's end liability is the accounts' sums less what was written after the day's end
     * (as the snapshot saw them); the opening is that less the day's movements, and must be what the head office's
     * close of the day before ended with.
     */
    private ObjectNode liability(JsonNode ledger, BigDecimal[] grand, HeadOffice office, ArrayNode checks) {
        JsonNode accounts = ledger.path("liability").path("accounts");
        JsonNode after = ledger.path("liability").path("after");
        long dayPoints = 0;
        for (JsonNode kind : ledger.path("kinds")) {
            dayPoints += kind.path("points").asLong() - kind.path("usedPoints").asLong()
                    - kind.path("expiredPoints").asLong();
        }
        BigDecimal[] closing = {accounts.path("actualMoney").decimalValue().subtract(after.path("actualMoney")
                .decimalValue()), accounts.path("giveMoney").decimalValue().subtract(
                        after.path("giveMoney")
                                .decimalValue())};
        long closingPoints = accounts.path("points").asLong() - after.path("points").asLong();
        ObjectNode out = mapper.createObjectNode();
        ObjectNode opening = figures(out.putObject("opening"), closing[0].subtract(grand[1]),
                closing[1].subtract(grand[2]), closingPoints - dayPoints);
        figures(out.putObject("movements"), grand[1], grand[2], dayPoints);
        figures(out.putObject("closing"), closing[0], closing[1], closingPoints);
        out.set("accounts", accounts.deepCopy());
        out.set("after", after.deepCopy());
        List<String> problems = new ArrayList<>();
        if (office.previousNotClosed() != null) {
            out.putNull("previousClosing");
            problems.add("the head office's close of the day before is not closed (" + office.previousNotClosed()
                    + "): the roll cannot be checked; close that day first, then close this one again");
        } else if (office.previousClosing() == null) {
            out.putNull("previousClosing");
        } else {
            JsonNode before = office.previousClosing();
            out.set("previousClosing", before.deepCopy());
            if (before.path("actualMoney").decimalValue().compareTo(opening.path("actualMoney").decimalValue()) != 0
                    || before.path("giveMoney").decimalValue().compareTo(opening.path("giveMoney").decimalValue()) != 0
                    || before.path("points").asLong() != opening.path("points").asLong()) {
                problems.add("the day before ended with " + before.path("actualMoney").decimalValue() + " actual, "
                        + before.path("giveMoney").decimalValue() + " bonus, " + before.path("points").asLong()
                        + " points; this day opens with " + opening.path("actualMoney").decimalValue() + ", "
                        + opening.path("giveMoney").decimalValue() + ", " + opening.path("points").asLong());
            }
        }
        checks.add(check("liabilityRolls", "yesterday's closing liability plus the day's movements equals today's, "
                + "which is the accounts' sums at the close less what was written after the day"
                + (office.previousClosing() == null
                        ? " (no head-office close of the day before: the opening is "
                                + "derived)"
                        : ""),
                problems));
        return out;
    }

    private static ObjectNode figures(ObjectNode node, BigDecimal actual, BigDecimal give, long points) {
        node.put("actualMoney", actual.setScale(2));
        node.put("giveMoney", give.setScale(2));
        node.put("points", points);
        return node;
    }

    /** Whether every check passed. */
    static boolean passed(JsonNode report) {
        for (JsonNode check : report.path("checks")) {
            if (!check.path("passed").asBoolean()) {
                return false;
            }
        }
        return true;
    }

    private ObjectNode line(JsonNode line) {
        ObjectNode out = mapper.createObjectNode();
        out.put("operation", line.path("operation").asText());
        if (line.path("paymentType").isNumber()) {
            out.put("paymentType", line.path("paymentType").asInt());
        } else {
            out.putNull("paymentType");
        }
        out.put("count", line.path("count").asLong());
        out.put("money", scaled(line.path("money")));
        out.put("actualMoney", scaled(line.path("actualMoney")));
        out.put("giveMoney", scaled(line.path("giveMoney")));
        return out;
    }

    /**
    * Each entry kind's total equals the lines of the operations that come from it, money and points (an entry of a
    * kind the report does not know, or a line of an operation it does not know, shows here).
    */
    private ObjectNode linesMatchLedger(JsonNode ledger) {
        Map<String, BigDecimal[]> fromLines = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode line : ledger.path("lines")) {
            Set<String> kinds = KINDS.get(line.path("operation").asText());
            if (kinds == null) {
                problems.add("operation " + line.path("operation").asText() + " is not one the report knows");
                continue;
            }
            add(fromLines.computeIfAbsent(String.join("+", new java.util.TreeSet<>(kinds)), k -> zeros(5)),
                    line.path("actualMoney"), line.path("giveMoney"), line.path("points"), line.path("usedPoints"),
                    line.path("expiredPoints"));
        }
        Map<String, BigDecimal[]> fromKinds = new TreeMap<>();
        for (JsonNode kind : ledger.path("kinds")) {
            String group = groupOf(kind.path("kind").asText());
            add(fromKinds.computeIfAbsent(group, k -> zeros(5)), kind.path("actualMoney"), kind.path("giveMoney"),
                    kind.path("points"), kind.path("usedPoints"), kind.path("expiredPoints"));
        }
        Set<String> groups = new java.util.TreeSet<>(fromLines.keySet());
        groups.addAll(fromKinds.keySet());
        for (String group : groups) {
            BigDecimal[] lines = fromLines.getOrDefault(group, zeros(5));
            BigDecimal[] kinds = fromKinds.getOrDefault(group, zeros(5));
            if (!java.util.stream.IntStream.range(0, 5).allMatch(i -> lines[i].compareTo(kinds[i]) == 0)) {
                problems.add(group + ": lines " + lines[0] + " actual, " + lines[1] + " bonus, "
                        + lines[2].toBigInteger()
                        + "/" + lines[3].toBigInteger() + "/" + lines[4].toBigInteger()
                        + " points earned/used/expired; "
                        + "ledger " + kinds[0] + " actual, " + kinds[1] + " bonus, " + kinds[2].toBigInteger() + "/"
                        + kinds[3].toBigInteger() + "/" + kinds[4].toBigInteger());
            }
        }
        return check("linesMatchLedger", "every cell adds up to the ledger's own totals of the day", problems);
    }

    private static String groupOf(String kind) {
        for (Set<String> kinds : KINDS.values()) {
            if (kinds.contains(kind)) {
                return String.join("+", new java.util.TreeSet<>(kinds));
            }
        }
        return kind;
    }

    /** Totals by operation = totals by payment type = the ledger's grand total; money = actual + bonus everywhere. */
    private ObjectNode totalsAgree(JsonNode ledger, ArrayNode byOperation, Map<String, BigDecimal[]> types,
            BigDecimal[] grand) {
        List<String> problems = new ArrayList<>();
        BigDecimal[] operations = zeros(3);
        for (JsonNode total : byOperation) {
            add(operations, total.path("money"), total.path("actualMoney"), total.path("giveMoney"));
        }
        BigDecimal[] byType = zeros(3);
        types.values().forEach(sums -> {
            for (int i = 0; i < 3; i++) {
                byType[i] = byType[i].add(sums[i]);
            }
        });
        String[] names = {"money", "actual", "bonus"};
        for (int i = 0; i < 3; i++) {
            if (operations[i].compareTo(grand[i]) != 0 || byType[i].compareTo(grand[i]) != 0) {
                problems.add(names[i] + ": by operation " + operations[i] + ", by payment type " + byType[i]
                        + ", grand total " + grand[i]);
            }
        }
        List<JsonNode> cells = new ArrayList<>();
        ledger.path("lines").forEach(cells::add);
        ledger.path("operations").forEach(cells::add);
        for (JsonNode cell : cells) {
            BigDecimal sum = cell.path("actualMoney").decimalValue().add(cell.path("giveMoney").decimalValue());
            if (sum.compareTo(cell.path("money").decimalValue()) != 0) {
                problems.add(cell.path("operation").asText() + "/" + cell.path("paymentType").asText()
                        + ": money " + cell.path("money").decimalValue() + " is not actual + bonus " + sum);
            }
        }
        return check("totalsAgree", "totals by operation and by payment type equal the grand total, and money is "
                + "actual plus bonus in every cell", problems);
    }

    private ObjectNode breaches(JsonNode ledger, String name, String what, Set<String> rules) {
        List<String> problems = new ArrayList<>();
        for (JsonNode breach : ledger.path("breaches")) {
            if (rules.contains(breach.path("rule").asText())) {
                problems.add(breach.path("rule").asText() + ": entry " + breach.path("entryId").asLong() + " ("
                        + breach.path("billNo").asText() + "): " + breach.path("refunded").asText() + " against "
                        + breach.path("original").asText());
            }
        }
        return check(name, what, problems);
    }

    /** settlement's own record (from payment-service's events) agrees with the ledger, kind by kind. */
    private ObjectNode eventsAgree(JsonNode ledger, Map<String, DayCloseRepository.KindSum> recorded) {
        List<String> problems = differences(ledger, recorded);
        return check("eventsAgree", "settlement's record of the day, kept from payment-service's events, agrees "
                + "with the ledger", problems);
    }

    /** The kinds where settlement's record and the ledger differ (empty: they agree). */
    static List<String> differences(JsonNode ledger, Map<String, DayCloseRepository.KindSum> recorded) {
        List<String> problems = new ArrayList<>();
        Map<String, JsonNode> kinds = new LinkedHashMap<>();
        ledger.path("kinds").forEach(kind -> kinds.put(kind.path("kind").asText(), kind));
        Set<String> all = new java.util.TreeSet<>(kinds.keySet());
        all.addAll(recorded.keySet());
        for (String kind : all) {
            JsonNode ledgerKind = kinds.get(kind);
            DayCloseRepository.KindSum mine = recorded.get(kind);
            long ledgerCount = ledgerKind == null ? 0 : ledgerKind.path("count").asLong();
            long myCount = mine == null ? 0 : mine.count();
            BigDecimal ledgerActual = ledgerKind == null ? Money.ZERO : ledgerKind.path("actualMoney").decimalValue();
            BigDecimal ledgerGive = ledgerKind == null ? Money.ZERO : ledgerKind.path("giveMoney").decimalValue();
            BigDecimal myActual = mine == null ? Money.ZERO : mine.actualMoney();
            BigDecimal myGive = mine == null ? Money.ZERO : mine.giveMoney();
            String ledgerPoints = ledgerKind == null
                    ? "0/0/0"
                    : ledgerKind.path("points").asLong() + "/"
                            + ledgerKind.path("usedPoints").asLong() + "/" + ledgerKind.path("expiredPoints").asLong();
            String myPoints = mine == null
                    ? "0/0/0"
                    : mine.points() + "/" + mine.usedPoints() + "/"
                            + mine.expiredPoints();
            if (ledgerCount != myCount || ledgerActual.compareTo(myActual) != 0
                    || ledgerGive.compareTo(myGive) != 0 || !ledgerPoints.equals(myPoints)) {
                problems.add(kind + ": ledger " + ledgerCount + " entries, " + ledgerActual + " actual, "
                        + ledgerGive + " bonus, " + ledgerPoints + " points earned/used/expired; events " + myCount
                        + " entries, " + myActual + " actual, " + myGive + " bonus, " + myPoints);
            }
        }
        return problems;
    }

    /** What the till should hold by payment type against what was counted: a line of the report, nothing more. */
    private ArrayNode cashCount(JsonNode ledger, JsonNode counted) {
        ArrayNode out = mapper.createArrayNode();
        for (JsonNode count : counted) {
            int type = count.path("paymentType").asInt();
            BigDecimal expected = Money.ZERO;
            for (JsonNode line : ledger.path("lines")) {
                if (TILL.contains(line.path("operation").asText()) && line.path("paymentType").isNumber()
                        && line.path("paymentType").asInt() == type) {
                    expected = expected.add(line.path("actualMoney").decimalValue());
                }
            }
            BigDecimal money = count.path("money").decimalValue().setScale(2);
            ObjectNode line = out.addObject();
            line.put("paymentType", type);
            line.put("counted", money);
            line.put("expected", expected.setScale(2));
            line.put("difference", money.subtract(expected).setScale(2));
        }
        return out;
    }

    /** The cells that differ from the version before: this version's figures minus that one's. */
    private ObjectNode previous(JsonNode previous, ArrayNode lines) {
        Map<String, JsonNode> before = new LinkedHashMap<>();
        previous.path("lines").forEach(l -> before.put(key(l), l));
        Map<String, JsonNode> now = new LinkedHashMap<>();
        lines.forEach(l -> now.put(key(l), l));
        Set<String> keys = new java.util.TreeSet<>(before.keySet());
        keys.addAll(now.keySet());
        ObjectNode out = mapper.createObjectNode();
        out.put("version", previous.path("version").asInt());
        ArrayNode difference = out.putArray("difference");
        for (String key : keys) {
            JsonNode b = before.get(key);
            JsonNode n = now.get(key);
            long count = (n == null ? 0 : n.path("count").asLong()) - (b == null ? 0 : b.path("count").asLong());
            BigDecimal[] delta = zeros(3);
            String[] fields = {"money", "actualMoney", "giveMoney"};
            for (int i = 0; i < 3; i++) {
                delta[i] = (n == null ? Money.ZERO : n.path(fields[i]).decimalValue())
                        .subtract(b == null ? Money.ZERO : b.path(fields[i]).decimalValue());
            }
            if (count != 0 || delta[0].signum() != 0 || delta[1].signum() != 0 || delta[2].signum() != 0) {
                JsonNode any = n == null ? b : n;
                ObjectNode cell = difference.addObject();
                cell.put("operation", any.path("operation").asText());
                cell.set("paymentType", any.path("paymentType").deepCopy());
                cell.put("count", count);
                money(cell, delta);
            }
        }
        return out;
    }

    private static String key(JsonNode line) {
        return line.path("operation").asText() + "/" + line.path("paymentType").asText();
    }

    private ObjectNode check(String name, String what, List<String> problems) {
        ObjectNode check = mapper.createObjectNode();
        check.put("name", name);
        check.put("what", what);
        check.put("passed", problems.isEmpty());
        ArrayNode details = check.putArray("problems");
        problems.stream().limit(50).forEach(details::add);
        return check;
    }

    private static void money(ObjectNode node, BigDecimal[] sums) {
        node.put("money", sums[0].setScale(2));
        node.put("actualMoney", sums[1].setScale(2));
        node.put("giveMoney", sums[2].setScale(2));
    }

    private static BigDecimal scaled(JsonNode value) {
        return value.decimalValue().setScale(2);
    }

    private static BigDecimal[] zeros(int n) {
        BigDecimal[] zeros = new BigDecimal[n];
        java.util.Arrays.fill(zeros, Money.ZERO);
        return zeros;
    }

    private static void add(BigDecimal[] sums, JsonNode... values) {
        for (int i = 0; i < values.length; i++) {
            sums[i] = sums[i].add(values[i].isNumber() ? values[i].decimalValue() : Money.ZERO);
        }
    }
}
