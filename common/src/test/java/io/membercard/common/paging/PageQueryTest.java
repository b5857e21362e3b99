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

    @Test
    void pagesReachOnlyTheFirstHundredThousandRows() {
        assertThat(PageQuery.parse("200", "500").offset()).isEqualTo(99_500);
        assertThat(PageQuery.parse("5000", "20").offset()).isEqualTo(99_980);
        assertThatThrownBy(() -> PageQuery.parse("201", "500")).hasMessage("pageIndex: must be at most 200 with "
                + "pageSize 500: pages reach the first 100000 rows; narrow the filters to see further");
        assertThatThrownBy(() -> PageQuery.parse(String.valueOf(Integer.MAX_VALUE), null))
                .hasMessageStartingWith("pageIndex: must be at most 5000 with pageSize 20");
    }
}
