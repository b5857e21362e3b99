package io.membercard.member.importing;

import java.io.BufferedReader;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;

import io.membercard.common.api.ApiException;

/**
 * Reads an import file (xlsx, or csv in UTF-8 or GB18030) into rows of named columns. The first row names the
 * columns, in Chinese or English (姓名/name, 手机/phone, 卡号/cardCode, …); unknown columns are ignored. Row numbers
 * are the spreadsheet's own (the header is row 1).
 */
public final class SheetReader {
    /** A column's known names, by the name the import uses. */
    static final Map<String, String> ALIASES = aliases();

    /** One data row: its number in the file and its values by column. */
    public record RawRow(int rowNo, Map<String, String> values) {
        public String get(String column) {
            String value = values.get(column);
            return value == null || value.isBlank() ? null : value.trim();
        }
    }

    private SheetReader() {
    }

    private static Map<String, String> aliases() {
        Map<String, String> map = new HashMap<>();
        put(map, "name", "姓名", "会员姓名", "name");
        put(map, "phone", "手机", "手机号", "手机号码", "电话", "phone", "mobile");
        put(map, "cardCode", "卡号", "会员卡号", "cardcode", "card");
        put(map, "mac", "卡密", "mac");
        put(map, "sex", "性别", "sex", "gender");
        put(map, "birthday", "生日", "出生日期", "birthday");
        put(map, "idCard", "证件号", "身份证", "身份证号", "idcard");
        put(map, "address", "地址", "address");
        put(map, "balance", "余额", "储值余额", "实际余额", "balance");
        put(map, "giveBalance", "赠送余额", "givebalance", "bonus");
        put(map, "points", "积分", "points");
        put(map, "level", "等级", "会员等级", "level");
        return Map.copyOf(map);
    }

    private static void put(Map<String, String> map, String column, String... names) {
        for (String name : names) {
            map.put(name.toLowerCase(Locale.ROOT), column);
        }
    }

    /** Receives the rows of a file one at a time, as they are read. */
    @FunctionalInterface
    public interface RowSink {
        void accept(RawRow row);
    }

    /** The most member rows one file may have: a larger file is refused whole, before anything of it is kept. */
    public static final int MAX_ROWS = 200_000;
    /** The most characters one line of a csv may have (a quoted value with line breaks counts each line). */
    static final int MAX_LINE = 64 * 1024;
    /**
     * The most characters a value of a column the import reads keeps: longer ones are cut there (and refused by the
     * column's own rule, every one of which is shorter), so that a chunk of a thousand rows stays small.
     */
    static final int MAX_VALUE = 256;

    /**
     * Reads the file at {@code file}, row by row, into {@code sink}: no more than one row is held at a time, so the
     * memory it takes does not grow with the file. The file's name tells xlsx from csv. A file that cannot be read,
     * has more than {@value #MAX_ROWS} rows, a csv line longer than {@value #MAX_LINE} characters, or an xlsx that
     * {@link WorkbookGuard} refuses (too large inflated, a giant cell, a far column) is a 400 naming {@code file} (rows passed to the sink before that are to be
     * thrown away by the caller). Answers the number of rows.
     */
    public static int read(String fileName, Path file, RowSink sink) {
        boolean xlsx = fileName.toLowerCase(Locale.ROOT).endsWith(".xlsx");
        try {
            return xlsx ? xlsx(file, sink) : csv(file, sink);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiException api) {
                throw api;
            }
            throw ApiException.badInput("file", "the file cannot be read as " + (xlsx
                    ? "an xlsx workbook"
                    : "csv") + ": " + e.getMessage());
        }
    }

    /** Counts the rows a sink is given and refuses the one past {@value #MAX_ROWS}. */
    private static final class Counted {
        private final RowSink sink;
        private int rows;

        Counted(RowSink sink) {
            this.sink = sink;
        }

        void accept(RawRow row) {
            if (++rows > MAX_ROWS) {
                throw tooManyRows();
            }
            sink.accept(row);
        }
    }

    private static int csv(Path file, RowSink sink) throws IOException {
        if (records(file) > MAX_ROWS + 1L) {
            throw tooManyRows();
        }
        Counted counted = new Counted(sink);
        Charset charset = isUtf8(file) ? StandardCharsets.UTF_8 : Charset.forName("GB18030");
        try (Reader reader = new LineBound(new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                charset.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE))));
                CSVParser parser = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).setTrim(true).get()
                        .parse(reader)) {
            List<String> header = null;
            for (CSVRecord record : parser) {
                List<String> cells = record.toList();
                if (header == null) {
                    header = columns(cells);
                    continue;
                }
                counted.accept(new RawRow((int) record.getRecordNumber(), named(header, cells)));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return counted.rows;
    }

    /**
     * How many records a csv has at most: its lines that are not empty, line breaks inside quotes not counted (read as
     * bytes: a line break and a quote are the same byte in UTF-8 and GB18030, and never part of another character).
     * A file past the row limit is so refused before any row of it is parsed or kept.
     */
    static long records(Path file) throws IOException {
        long records = 0;
        boolean quoted = false;
        boolean content = false;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b == '"') {
                        quoted = !quoted;
                    } else if (b == '\n' && !quoted) {
                        records += content ? 1 : 0;
                        content = false;
                        continue;
                    }
                    content |= b != '\r';
                }
            }
        }
        return records + (content ? 1 : 0);
    }

    static ApiException tooManyRows() {
        return ApiException.badInput("file", "has more than " + MAX_ROWS + " member rows: split it into files of at "
                + "most " + MAX_ROWS + " rows and upload each");
    }

    /**
     * Whether the whole file is UTF-8 (read as a stream, nothing kept); otherwise it is read as GB18030, what Chinese
     * spreadsheets often save csv in.
     */
    static boolean isUtf8(Path file) throws IOException {
        try (Reader reader = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT))) {
            char[] buffer = new char[8192];
            while (reader.read(buffer) >= 0) {
                // only decoding
            }
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * A reader that drops a leading byte order mark and refuses a line longer than {@value #MAX_LINE} characters: a
     * file of one endless line (or one endless quoted value) would otherwise be held whole.
     */
    private static final class LineBound extends FilterReader {
        private int line;
        private boolean started;

        LineBound(Reader in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            char[] one = new char[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            if (read > 0 && !started) {
                started = true;
                if (buffer[offset] == '\uFEFF') {
                    System.arraycopy(buffer, offset + 1, buffer, offset, read - 1);
                    read--;
                    if (read == 0) {
                        return read(buffer, offset, length);
                    }
                }
            }
            for (int i = offset; i < offset + read; i++) {
                line = buffer[i] == '\n' ? 0 : line + 1;
                if (line > MAX_LINE) {
                    throw ApiException.badInput("file", "has a line longer than " + MAX_LINE + " characters: it "
                            + "is not a member file");
                }
            }
            return read;
        }
    }

    private static int xlsx(Path file, RowSink sink) throws IOException {
        WorkbookGuard.check(file);
        Counted counted = new Counted(sink);
        try (ReadableWorkbook workbook = new ReadableWorkbook(file.toFile())) {
            Sheet sheet = workbook.getFirstSheet();
            List<String> header = null;
            try (Stream<Row> stream = sheet.openStream()) {
                for (Row row : (Iterable<Row>) stream::iterator) {
                    List<String> cells = new ArrayList<>();
                    for (int i = 0; i < row.getCellCount(); i++) {
                        try {
                            cells.add(
                                    text(row.getCell(i), header == null || i >= header.size() ? null : header.get(i)));
                        } catch (IllegalArgumentException e) {
                            throw ApiException.badInput("file", "row " + row.getRowNum() + ", column "
                                    + columnLetter(i) + ": " + e.getMessage());
                        }
                    }
                    if (cells.stream().allMatch(c -> c == null || c.isBlank())) {
                        continue;
                    }
                    if (header == null) {
                        header = columns(cells);
                        continue;
                    }
                    counted.accept(new RawRow(row.getRowNum(), named(header, cells)));
                }
            }
        }
        return counted.rows;
    }

    /** A cell as text: numbers without a trailing {@code .0}, dates (in a birthday column) as yyyy-MM-dd. */
    private static String text(Cell cell, String column) {
        if (cell == null) {
            return null;
        }
        if (cell.getType() == CellType.NUMBER) {
            BigDecimal number = number(cell.getRawValue());
            if ("birthday".equals(column)) {
                // A spreadsheet's day number: 1 is 1900-01-01, 2958465 is 9999-12-31.
                if (number.signum() <= 0 || number.compareTo(MAX_DAY) > 0) {
                    throw new IllegalArgumentException("a birthday must be a date");
                }
                return LocalDate.of(1899, 12, 30).plusDays(number.longValue()).toString();
            }
            BigDecimal plain = number.stripTrailingZeros();
            return (plain.scale() < 0 ? plain.setScale(0) : plain).toPlainString();
        }
        return cell.getRawValue();
    }

    /** Spreadsheet day numbers up to 9999-12-31. */
    private static final BigDecimal MAX_DAY = BigDecimal.valueOf(2_958_465);
    /** Digits a number cell may have before and after its point: phones, codes, money and day numbers fit. */
    private static final int MAX_INTEGER_DIGITS = 20;
    private static final int MAX_SCALE = 30;

    /**
     * A number cell's value, checked before any arithmetic: {@code 1E200000000} is 12 characters that would expand
     * to 200 million digits (as plain text, or as a count of days), so a number with more digits than any cell of a
     * member file has is refused. Precision and scale are read from the parsed form without expanding it.
     */
    static BigDecimal number(String raw) {
        BigDecimal number;
        try {
            number = new BigDecimal(raw == null ? "" : raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("is not a number");
        }
        long integerDigits = (long) number.precision() - number.scale();
        if (integerDigits > MAX_INTEGER_DIGITS || number.scale() > MAX_SCALE) {
            throw new IllegalArgumentException("a number of more than " + MAX_INTEGER_DIGITS + " digits (or "
                    + "with an exponent) is not a member's value");
        }
        return number;
    }

    /** A, B, ..., Z, AA, ... */
    static String columnLetter(int index) {
        StringBuilder letters = new StringBuilder();
        for (int n = index + 1; n > 0; n = (n - 1) / 26) {
            letters.insert(0, (char) ('A' + (n - 1) % 26));
        }
        return letters.toString();
    }

    private static List<String> columns(List<String> header) {
        List<String> columns = new ArrayList<>();
        for (String name : header) {
            String key = name == null ? "" : name.trim().replace("\uFEFF", "").toLowerCase(Locale.ROOT);
            columns.add(ALIASES.get(key));
        }
        if (!columns.contains("name") || !columns.contains("phone")) {
            throw ApiException.badInput("file", "the first row must name the columns, with at least 姓名 (name) "
                    + "and 手机 (phone)");
        }
        return columns;
    }

    private static Map<String, String> named(List<String> columns, List<String> cells) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < Math.min(columns.size(), cells.size()); i++) {
            String value = cells.get(i);
            if (columns.get(i) != null && value != null) {
                values.put(columns.get(i), value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE + 1) : value);
            }
        }
        return values;
    }
}
