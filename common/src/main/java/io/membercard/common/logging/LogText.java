package io.membercard.common.logging;

/**
 * Text from outside (a partner's appid, a file's cell, a user name) made safe to put in a log line: control
 * characters (new lines above all, which would let a caller write a forged line) and quotes are escaped, and the
 * text is cut to a bound so that nobody can fill the log with one field.
 */
public final class LogText {
    /** Longest field kept, in characters, before the cut is marked. */
    public static final int MAX = 64;

    private LogText() {
    }

    /**
     * An error's text without the query strings of the URLs in it: a failed call's message names its URL, and a
     * card check's URL carries the card's secret ({@code ?cardCode=..&mac=..}).
     */
    public static String error(Throwable e) {
        return e == null ? "null" : withoutQueries(e.toString());
    }

    /** {@code text} with every {@code ?query} (up to the next space or quote) written {@code ?…}. */
    public static String withoutQueries(String text) {
        return text == null ? null : text.replaceAll("\\?[^\\s\"']*", "?…");
    }

    /** {@code text} escaped and cut to {@link #MAX} characters; {@code null} stays "null". */
    public static String bounded(String text) {
        return bounded(text, MAX);
    }

    /** {@code text} escaped and cut to {@code max} characters. */
    public static String bounded(String text, int max) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 8);
        int i = 0;
        for (; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (i < text.length()) {
            out.append("…(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }
}
