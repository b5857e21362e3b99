package io.membercard.common.export;

import java.util.List;

/**
 * Text for a spreadsheet export (csv, or the text cells of an xlsx) that no spreadsheet runs as a formula. A value a
 * tenant or a customer typed (a member's name, a remark, a shop name) may start with {@code =}, {@code +},
 * {@code -} or {@code @}, which Excel, WPS and LibreOffice read as a formula when the file is opened
 * ({@code =HYPERLINK(...)}, {@code =cmd|...}); such a value is written with a leading apostrophe, which
 * spreadsheets show as text. Every export writes its text through {@link #cell} (xlsx) or {@link #csvField} (csv);
 * numbers and dates are written as typed cells, not through here.
 */
public final class SpreadsheetText {
    private SpreadsheetText() {
    }

    /**
     * {@code value} as a text cell: with a leading {@code '} when its first character, or its first after leading
     * spaces, is {@code =}, {@code +}, {@code -} or {@code @}, or when it starts with a tab or a line break. Null is
     * an empty cell.
     */
    public static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        char first = value.charAt(0);
        if (first == '\t' || first == '\r' || first == '\n') {
            return "'" + value;
        }
        int i = 0;
        while (i < value.length() && value.charAt(i) == ' ') {
            i++;
        }
        if (i < value.length() && "=+-@".indexOf(value.charAt(i)) >= 0) {
            return "'" + value;
        }
        return value;
    }

    /** {@code value} as a csv field: {@link #cell}, in double quotes (doubled inside) when it holds a comma, a quote or a line break. */
    public static String csvField(String value) {
        String text = cell(value);
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }

    /** One csv line of {@code values}, each through {@link #csvField}, ended by CRLF (RFC 4180). */
    public static String csvLine(List<String> values) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(csvField(values.get(i)));
        }
        return line.append("\r\n").toString();
    }
}
