package io.membercard.common.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PageQueryTest {

    @Test
    void defaultsAndOffsets() {
        assertThat(PageQuery.parse(null, null)).isEqualTo(new PageQuery(1, 20));
        assertThat(PageQuery.parse("3", "50").offset()).isEqualTo(100);
        assertThat(PageQuery.parse("1", "500").pageSize()).isEqualTo(500);
    }

    @Test
    void outOfRangePagesAreRefused() {
        assertThatThrownBy(() -> PageQuery.parse("1", "501")).hasMessage("pageSize: must be from 1 to 500");
        assertThatThrownBy(() -> PageQuery.parse("0", "20")).hasMessage("pageIndex: must be 1 or more");
        assertThatThrownBy(() -> PageQuery.parse("1", "0")).hasMessageStartingWith("pageSize: ");
        assertThatThrownBy(() -> PageQuery.parse("a", "1")).hasMessage("pageIndex: must be a whole number");
        assertThatThrownBy(() -> PageQuery.parse("1", "99999999999")).hasMessage("pageSize: is out of range");
    }
}
