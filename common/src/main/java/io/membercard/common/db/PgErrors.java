package io.membercard.common.db;

import io.vertx.pgclient.PgException;

/** PostgreSQL's error codes this project acts on. */
public final class PgErrors {
    /** SQLSTATE of a unique index or constraint refusing a row. */
    public static final String UNIQUE_VIOLATION = "23505";

    private PgErrors() {
    }

    /** Whether {@code e} is a unique index or constraint refusing a row. */
    public static boolean isUniqueViolation(Throwable e) {
        return e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
    }
}
