package io.membercard.common.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class DatesTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Test
    void formatsInTheTenantZone() {
        assertThat(Dates.format(Instant.parse("2026-01-15T02:11:28Z"), SHANGHAI)).isEqualTo("2026-01-15 10:11:28");
        assertThat(Dates.format(null, SHANGHAI)).isNull();
    }

    @Test
    void queryDatesAcceptDayOrSecond() {
        assertThat(Dates.parseStart("startDate", "2026-01-15", SHANGHAI))
                .isEqualTo(Instant.parse("2026-01-14T16:00:00Z"));
        assertThat(Dates.parseEndExclusive("endDate", "2026-01-15", SHANGHAI))
                .isEqualTo(Instant.parse("2026-01-15T16:00:00Z"));
        assertThat(Dates.parseStart("startDate", "2026-01-15 10:11:28", SHANGHAI))
                .isEqualTo(Instant.parse("2026-01-15T02:11:28Z"));
        assertThat(Dates.parseEndExclusive("endDate", "2026-01-15 10:11:28", SHANGHAI))
                .isEqualTo(Instant.parse("2026-01-15T02:11:29Z"));
        assertThat(Dates.parseStart("startDate", "", SHANGHAI)).isNull();
    }

    @Test
    void malformedDatesNameTheField() {
        assertThatThrownBy(() -> Dates.parseStart("endDate", "15/01/2026", SHANGHAI))
                .hasMessage("endDate: must be a date as yyyy-MM-dd or yyyy-MM-dd HH:mm:ss");
    }
}
