package io.membercard.common.paging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlFilterTest {

    @Test
    void likeLiteralEscapesTheWildcardsAndTheEscapeCharacter() {
        assertThat(SqlFilter.likeLiteral("100%")).isEqualTo("100\\%");
        assertThat(SqlFilter.likeLiteral("a_b")).isEqualTo("a\\_b");
        assertThat(SqlFilter.likeLiteral("C:\\x")).isEqualTo("C:\\\\x");
        assertThat(SqlFilter.likeLiteral("\\%_")).isEqualTo("\\\\\\%\\_");
        assertThat(SqlFilter.likeLiteral("李雷")).isEqualTo("李雷");
    }

    @Test
    void aKeywordBindsItsPatternsAndItsWholeValueOnceEach() {
        SqlFilter filter = SqlFilter.tenant("o.tenant_id", 7).and("o.shop_id = ?", 3L)
                .andKeyword("5%_off", k -> "(o.code ilike " + k.contains() + " or o.name ilike " + k.contains()
                        + " or o.name like " + k.startsWith() + " or c.code = " + k.whole() + ")")
                .and("o.is_finished = ?", true);
        assertThat(filter.clause()).isEqualTo("o.tenant_id = $1 and o.shop_id = $2 and (o.code ilike $3 escape '\\'"
                + " or o.name ilike $3 escape '\\' or o.name like $4 escape '\\' or c.code = $5)"
                + " and o.is_finished = $6");
        assertThat(filter.tuple().size()).isEqualTo(6);
        assertThat(filter.tuple().getValue(2)).isEqualTo("%5\\%\\_off%");
        assertThat(filter.tuple().getValue(3)).isEqualTo("5\\%\\_off%");
        assertThat(filter.tuple().getValue(4)).isEqualTo("5%_off");
    }

    @Test
    void noKeywordAddsNothing() {
        SqlFilter filter = SqlFilter.tenant("o.tenant_id", 7).andKeyword(null, k -> "never " + k.contains());
        assertThat(filter.clause()).isEqualTo("o.tenant_id = $1");
        assertThat(filter.tuple().size()).isEqualTo(1);
    }
}
