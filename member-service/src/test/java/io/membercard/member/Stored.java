package io.membercard.member;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** What member-service's tables hold, looked at the way someone with a copy of the database would. */
final class Stored {
    private Stored() {
    }

    /** Fails when any column of any table of member-service's schema holds {@code secret} (bytea included). */
    static void assertNowhere(Pool pool, String secret) {
        var columns = pool.preparedQuery("""
                select c.table_name, c.column_name, c.data_type from information_schema.columns c
                join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
                where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'""").execute().await()
                .indefinitely();
        List<String> found = new ArrayList<>();
        columns.forEach(column -> {
            String table = '"' + column.getString(0) + '"';
            String name = '"' + column.getString(1) + '"';
            String sql = "bytea".equals(column.getString(2))
                    ? "select count(*) from " + table + " where position(convert_to($1, 'UTF8') in " + name + ") > 0"
                    : "select count(*) from " + table + " where " + name + "::text like '%' || $1 || '%'";
            long rows = pool.preparedQuery(sql).execute(Tuple.of(secret)).await().indefinitely().iterator().next()
                    .getLong(0);
            if (rows > 0) {
                found.add(column.getString(0) + "." + column.getString(1));
            }
        });
        assertThat(found).as("columns holding a plain card secret").isEmpty();
        assertThat(columns.size()).as("columns looked at").isGreaterThan(20);
    }
}
