package io.membercard.common.paging;

import java.util.ArrayList;
import java.util.List;

import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Builds the {@code where} clause of a filtered list query with numbered parameters, so that optional filters
 * never need string-concatenated values. Start it with the tenant: every query takes the tenant.
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
