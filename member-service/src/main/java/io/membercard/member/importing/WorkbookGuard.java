package io.membercard.member.importing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import io.membercard.common.api.ApiException;

/**
 * Reads an xlsx once, inflating every part and scanning its XML as bytes, before the workbook reader sees it: a file
 * of a few kilobytes can otherwise inflate to gigabytes (zip sizes can lie), or be small when inflated and still cost
 * the reader gigabytes: one cell of a hundred million characters, a cell at column ZZZZZZ (the reader sizes each row
 * by its last column), millions of shared strings, or entities a document type declaration expands. Refused, naming
 * {@code file}:
 * <ul>
 * <li>more than {@link #MAX_INFLATED} inflated in all, {@link #MAX_PART} in one part, {@link #MAX_STRINGS_PART} of
 * shared strings;
 * <li>a run of more than {@link #MAX_RUN} bytes without a tag (a cell's text) or within one tag;
 * <li>a cell beyond column {@value #MAX_COLUMN} (IV), or more than {@value #MAX_COLUMN} cells in a row;
 * <li>more than {@value #MAX_SHARED_STRINGS} shared strings, or a sheet of more rows than a member file may have;
 * <li>a document type declaration or entity.
 * </ul>
 */
final class WorkbookGuard {
    static final long MAX_INFLATED = 256L * 1024 * 1024;
    static final long MAX_PART = 128L * 1024 * 1024;
    static final long MAX_STRINGS_PART = 32L * 1024 * 1024;
    static final int MAX_RUN = 16 * 1024;
    static final int MAX_COLUMN = 256;
    static final int MAX_SHARED_STRINGS = 1_000_000;
    /** A cell's reference attribute ({@code r="AB12"}): its letters. */
    private static final Pattern REFERENCE = Pattern.compile("(?:^|\\s)r\\s*=\\s*[\"']([A-Za-z]+)");

    private WorkbookGuard() {
    }

    static void check(Path file) throws IOException {
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements();) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName().toLowerCase(Locale.ROOT);
                boolean strings = name.endsWith("sharedstrings.xml");
                long cap = strings ? MAX_STRINGS_PART : MAX_PART;
                Scanner scanner = name.endsWith(".xml") || name.endsWith(".rels")
                        ? new Scanner(name.startsWith("xl/worksheets/"))
                        : null;
                long part = 0;
                try (InputStream in = zip.getInputStream(entry)) {
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        part += n;
                        total += n;
                        if (part > cap || total > MAX_INFLATED) {
                            throw refused("inflates to more than " + (part > cap
                                    ? cap / (1024 * 1024) + " MB in one part"
                                    : MAX_INFLATED / (1024 * 1024) + " MB"));
                        }
                        if (scanner != null) {
                            scanner.feed(buffer, n);
                        }
                    }
                }
            }
        }
    }

    private static ApiException refused(String why) {
        return ApiException.badInput("file", why + ": it is not a member file");
    }

    /** The XML of one part, byte by byte: runs, tags, rows, cells and shared strings counted as they go by. */
    private static final class Scanner {
        /** A sheet's rows are counted: one past the row limit (and its header) refuses the file before it is read. */
        private final boolean sheet;
        private boolean inTag;
        private int run;
        /** The tag's name so far (and, for a cell, the tag itself), while it is read. */
        private final StringBuilder tag = new StringBuilder();
        private boolean named;
        private boolean cell;
        private int cells;
        private int strings;
        private int rowNo;

        Scanner(boolean sheet) {
            this.sheet = sheet;
        }

        void feed(byte[] bytes, int length) {
            for (int i = 0; i < length; i++) {
                byte b = bytes[i];
                if (++run > MAX_RUN) {
                    throw refused(inTag
                            ? "has a tag of more than " + MAX_RUN + " bytes"
                            : "has a cell of more than " + MAX_RUN + " bytes of text");
                }
                if (!inTag) {
                    if (b == '<') {
                        inTag = true;
                        run = 0;
                        tag.setLength(0);
                        named = false;
                        cell = false;
                    }
                    continue;
                }
                if (b == '>') {
                    endTag();
                    inTag = false;
                    run = 0;
                    continue;
                }
                if (!named) {
                    if (b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == '/') {
                        startTag();
                    } else {
                        tag.append((char) (b & 0xff));
                    }
                } else if (cell) {
                    tag.append((char) (b & 0xff));
                }
            }
        }

        /** The tag's name is read: what it is decides what is counted. */
        private void startTag() {
            named = true;
            String name = tag.toString();
            if (name.startsWith("!DOCTYPE") || name.startsWith("!ENTITY")) {
                throw refused("has a document type declaration");
            }
            String local = name.substring(name.indexOf(':') + 1);
            switch (local) {
                case "row" -> {
                    cells = 0;
                    if (++rowNo > SheetReader.MAX_ROWS + 1 && sheet) {
                        throw SheetReader.tooManyRows();
                    }
                }
                case "c" -> {
                    if (++cells > MAX_COLUMN) {
                        throw refused("has a row of more than " + MAX_COLUMN + " cells");
                    }
                    cell = true;
                    tag.setLength(0);
                }
                case "si" -> {
                    if (++strings > MAX_SHARED_STRINGS) {
                        throw refused("has more than " + MAX_SHARED_STRINGS + " shared strings");
                    }
                }
                default -> {
                    // not counted
                }
            }
        }

        private void endTag() {
            if (!named) {
                startTag();
            }
            if (cell) {
                column(tag.toString());
            }
        }

        /** A cell's attributes: its reference's column may not pass {@value #MAX_COLUMN}. */
        private void column(String attributes) {
            Matcher reference = REFERENCE.matcher(attributes);
            if (!reference.find()) {
                return;
            }
            long column = 0;
            for (char letter : reference.group(1).toCharArray()) {
                column = column * 26 + (Character.toUpperCase(letter) - 'A' + 1);
                if (column > MAX_COLUMN) {
                    throw refused("has a cell beyond column " + SheetReader.columnLetter(MAX_COLUMN - 1)
                            + " (row " + rowNo + ")");
                }
            }
        }
    }
}
