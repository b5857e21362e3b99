package io.membercard.common.paging;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Builds the {@code where} clause of a filtered list query with numbered parameters, so that optional filters
 * never need string-concatenated values. Start it with the tenant: every query takes the tenant. A keyword search
 * goes through {@link #andKeyword}, which matches {@code %}, {@code _} and {@code \} as themselves.
 */
public final class SqlFilter {
    private final StringBuilder where = new StringBuilder();
    private final List<Object> values = new ArrayList<>();

    private SqlFilter() {
    }

    /** A filter that starts with {@code column = tenantId}. */
    public static SqlFilter tenant(String column, long tenantId) {
        return new SqlFilter().and(column + " = ?", tenantId);
    }

    /**
     * Adds {@code condition} when {@code value} is not null; each {@code ?} in it becomes the next numbered
     * parameter bound to {@code value}.
     */
    public SqlFilter and(String condition, Object value) {
        if (value == null) {
            return this;
        }
        values.add(value);
        String numbered = condition.replace("?", "$" + values.size());
        where.append(where.isEmpty() ? "" : " and ").append(numbered);
        return this;
    }

    /**
     * Adds a keyword search when {@code keyword} is not null. {@code condition} writes the SQL with the
     * {@link Keyword}'s placeholders: {@link Keyword#contains()} and {@link Keyword#startsWith()} for
     * {@code like}/{@code ilike}, where the keyword's {@code \}, {@code %} and {@code _} match themselves, and
     * {@link Keyword#whole()} for the keyword as sent ({@code code = ...}). E.g.
     * {@code andKeyword(keyword, k -> "(o.code ilike " + k.contains() + " or c.code = " + k.whole() + ")")}.
     */
    public SqlFilter andKeyword(String keyword, Function<Keyword, String> condition) {
        if (keyword == null) {
            return this;
        }
        String sql = condition.apply(new Keyword(keyword));
        where.append(where.isEmpty() ? "" : " and ").append(sql);
        return this;
    }

    /**
     * {@code text} as a {@code like} pattern that matches only itself: {@code \}, {@code %} and {@code _} are
     * preceded by {@code \}, the escape character {@link Keyword}'s patterns declare.
     */
    public static String likeLiteral(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || c == '%' || c == '_') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    /** The placeholders of one keyword search; each binds its value once, however often it is used. */
    public final class Keyword {
        private final String text;
        private String contains;
        private String startsWith;
        private String whole;

        private Keyword(String text) {
            this.text = text;
        }

        /** A pattern (with its {@code escape} clause) matching values that contain the keyword. */
        public String contains() {
            if (contains == null) {
                contains = bind("%" + likeLiteral(text) + "%") + " escape '\\'";
            }
            return contains;
        }

        /** A pattern (with its {@code escape} clause) matching values that start with the keyword. */
        public String startsWith() {
            if (startsWith == null) {
                startsWith = bind(likeLiteral(text) + "%") + " escape '\\'";
            }
            return startsWith;
        }

        /** The keyword as sent, for comparisons with {@code =}. */
        public String whole() {
            if (whole == null) {
                whole = bind(text);
            }
            return whole;
        }

        private String bind(String value) {
            values.add(value);
            return "$" + values.size();
        }
    }

    /** The clause, without the {@code where} keyword. */
    public String clause() {
        return where.toString();
    }

    /** Placeholder for the next parameter added with {@link #extra}. */
    public String next() {
        return "$" + (values.size() + 1);
    }

    /** Binds a value used outside the where clause (limit, offset), in order. */
    public SqlFilter extra(Object value) {
        values.add(value);
        return this;
    }

    public Tuple tuple() {
        return Tuple.from(values);
    }
}
