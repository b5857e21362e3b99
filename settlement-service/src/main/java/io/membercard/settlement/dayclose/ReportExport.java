package io.membercard.settlement.dayclose;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

import com.fasterxml.jackson.databind.JsonNode;

import io.membercard.common.export.SpreadsheetText;

/**
 * A day close's report as a spreadsheet a shop prints or keeps: one table of rows (the heading, the cells, the totals
 * three ways, the points, the checks, the items carried, the cash count, and for the head office its shops and the
 * liability), written as xlsx (fastexcel) or csv (Commons CSV) from the same rows. Text goes through
 * {@link SpreadsheetText}, so that nothing in it runs as a formula; money is written as numbers.
 */
final class ReportExport {
    /** The formats, with their media types and file extensions. */
    enum Format {
        XLSX("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx"), CSV("text/csv; charset=UTF-8", "csv");

        final String mediaType;
        final String extension;

        Format(String mediaType, String extension) {
            this.mediaType = mediaType;
            this.extension = extension;
        }
    }

    private ReportExport() {
    }

    /** The file's name: {@code dayclose-<shop or all>-<date>-v<version>.<extension>}. */
    static String fileName(JsonNode report, Format format) {
        String shop = report.path("shopId").isNumber() ? "shop" + report.path("shopId").asLong() : "all";
        return "dayclose-" + shop + "-" + report.path("date").asText() + "-v" + report.path("version").asInt() + "."
                + format.extension;
    }

    /** The report's rows: text (String), numbers (BigDecimal, Long) and empty cells (null). */
    static List<List<Object>> rows(JsonNode report) {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(row("Day close", report.path("shopId").isNumber()
                ? "shop " + report.path("shopId").asLong()
                : "head office", report.path("date").asText(), "version " + report.path("version").asInt(),
                "status " + report.path("status").asInt(), "closed at " + report.path("closedAt").asText()));
        rows.add(row("day from", report.path("dayStart").asText(), "to", report.path("dayEnd").asText(), "entries",
                report.path("entries").asLong()));
        rows.add(row());
        rows.add(row("operation", "paymentType", "count", "money", "actualMoney", "giveMoney"));
        for (JsonNode line : report.path("lines")) {
            rows.add(row(line.path("operation").asText(), type(line), line.path("count").asLong(),
                    money(line, "money"), money(line, "actualMoney"), money(line, "giveMoney")));
        }
        rows.add(row());
        rows.add(row("totals by operation", null, "count", "money", "actualMoney", "giveMoney"));
        for (JsonNode total : report.path("totals").path("byOperation")) {
            rows.add(row(total.path("operation").asText(), null, total.path("count").asLong(), money(total, "money"),
                    money(total, "actualMoney"), money(total, "giveMoney")));
        }
        rows.add(row("totals by payment type", "paymentType", null, "money", "actualMoney", "giveMoney"));
        for (JsonNode total : report.path("totals").path("byPaymentType")) {
            rows.add(row(null, type(total), null, money(total, "money"), money(total, "actualMoney"),
                    money(total, "giveMoney")));
        }
        JsonNode grand = report.path("totals").path("grand");
        rows.add(row("grand total", null, grand.path("count").asLong(), money(grand, "money"),
                money(grand, "actualMoney"), money(grand, "giveMoney")));
        if (!report.path("points").isEmpty()) {
            rows.add(row());
            rows.add(row("points", null, "count", "points", "usedPoints", "expiredPoints"));
            for (JsonNode points : report.path("points")) {
                rows.add(row(points.path("operation").asText(), null, points.path("count").asLong(),
                        points.path("points").asLong(), points.path("usedPoints").asLong(),
                        points.path("expiredPoints").asLong()));
            }
        }
        rows.add(row());
        rows.add(row("check", "passed", "what", "problems"));
        for (JsonNode check : report.path("checks")) {
            List<String> problems = new ArrayList<>();
            check.path("problems").forEach(p -> problems.add(p.asText()));
            rows.add(row(check.path("name").asText(), check.path("passed").asBoolean() ? "yes" : "NO",
                    check.path("what").asText(), String.join("; ", problems)));
        }
        if (!report.path("carried").isEmpty()) {
            rows.add(row());
            rows.add(row("carried", "billNo", "cardCode", "paymentType", "money", "since"));
            for (JsonNode item : report.path("carried")) {
                rows.add(row(item.path("type").asText(), item.path("billNo").asText(), item.path("cardCode").asText(),
                        type(item), money(item, "money"), item.path("since").asText()));
            }
        }
        if (report.path("cashCount").isArray()) {
            rows.add(row());
            rows.add(row("cash count", "paymentType", null, "counted", "expected", "difference"));
            for (JsonNode count : report.path("cashCount")) {
                rows.add(row(null, type(count), null, money(count, "counted"), money(count, "expected"),
                        money(count, "difference")));
            }
        }
        if (report.path("shops").isArray()) {
            rows.add(row());
            rows.add(row("shop", "entries", "actualIn", "actualSpent", "net", "closed"));
            for (JsonNode shop : report.path("shops")) {
                rows.add(row(shop.path("shopId").isNumber() ? shop.path("shopId").asLong() : null,
                        shop.path("entries").asLong(), money(shop, "actualIn"), money(shop, "actualSpent"),
                        money(shop, "net"), shop.has("closed")
                                ? (shop.path("closed").asBoolean() ? "yes" : "NO")
                                : null));
            }
            JsonNode liability = report.path("liability");
            rows.add(row());
            rows.add(row("liability", null, null, "actualMoney", "giveMoney", "points"));
            for (String part : List.of("opening", "movements", "closing", "previousClosing")) {
                JsonNode figures = liability.path(part);
                if (figures.isObject()) {
                    rows.add(row(part, null, null, money(figures, "actualMoney"), money(figures, "giveMoney"),
                            figures.path("points").asLong()));
                }
            }
        }
        return rows;
    }

    static void write(JsonNode report, Format format, OutputStream out) throws IOException {
        List<List<Object>> rows = rows(report);
        if (format == Format.CSV) {
            // A BOM, so that spreadsheets open the Chinese text of a remark as UTF-8.
            out.write(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
            try (CSVPrinter csv = new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8),
                    CSVFormat.RFC4180)) {
                for (List<Object> row : rows) {
                    List<String> fields = new ArrayList<>(row.size());
                    for (Object value : row) {
                        fields.add(value == null
                                ? ""
                                : value instanceof String text
                                        ? SpreadsheetText.cell(text)
                                        : value instanceof BigDecimal money ? money.toPlainString() : value.toString());
                    }
                    csv.printRecord(fields);
                }
            }
            return;
        }
        Workbook workbook = new Workbook(out, "membercard", "1.0");
        Worksheet sheet = workbook.newWorksheet("Day close");
        for (int r = 0; r < rows.size(); r++) {
            List<Object> row = rows.get(r);
            for (int c = 0; c < row.size(); c++) {
                Object value = row.get(c);
                if (value instanceof String text) {
                    sheet.value(r, c, SpreadsheetText.cell(text));
                } else if (value instanceof Number number) {
                    sheet.value(r, c, number);
                }
            }
        }
        workbook.finish();
    }

    private static List<Object> row(Object... cells) {
        return Arrays.asList(cells);
    }

    private static Object type(JsonNode node) {
        return node.path("paymentType").isNumber() ? (Object) node.path("paymentType").asLong() : null;
    }

    private static BigDecimal money(JsonNode node, String field) {
        return node.path(field).isNumber() ? node.path(field).decimalValue().setScale(2) : null;
    }
}
