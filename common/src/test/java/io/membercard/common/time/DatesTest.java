package io.membercard.common.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import io.membercard.common.api.ApiException;

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

    @Test
    void aDayTheMonthDoesNotHaveIsRefusedNotMoved() {
        assertThatThrownBy(() -> Dates.parseStart("startDate", "2026-02-30", SHANGHAI))
                .hasMessage("startDate: must be a date as yyyy-MM-dd or yyyy-MM-dd HH:mm:ss");
        assertThatThrownBy(() -> Dates.parseEndExclusive("endDate", "2026-04-31 10:00:00", SHANGHAI))
                .hasMessage("endDate: must be a date as yyyy-MM-dd or yyyy-MM-dd HH:mm:ss");
        assertThat(Dates.parseStart("startDate", "2024-02-29", SHANGHAI)).isNotNull();
    }

    @Test
    void datesBeyondTheFormatsFourDigitYearsAreRefusedNamingTheField() {
        String refused = ": must be a date from 0001-01-01 to 9999-12-31";
        assertThatThrownBy(() -> Dates.parseEndExclusive("endDate", "+999999999-12-31 23:59:59", SHANGHAI))
                .isInstanceOf(ApiException.class).hasMessage("endDate" + refused);
        assertThatThrownBy(() -> Dates.parseStart("startDate", "+999999999-12-31 23:59:59", SHANGHAI))
                .isInstanceOf(ApiException.class).hasMessage("startDate" + refused);
        assertThatThrownBy(() -> Dates.parseStart("startDate", "+10000-01-01 00:00:00", SHANGHAI))
                .isInstanceOf(ApiException.class).hasMessage("startDate" + refused);
        // What clients send for "from the beginning" and "until further notice" still reads.
        assertThat(Dates.parseStart("startDate", "0001-01-01", SHANGHAI)).isNotNull();
        assertThat(Dates.parseEndExclusive("endDate", "9999-12-31 23:59:59", SHANGHAI))
                .isEqualTo(Instant.parse("9999-12-31T16:00:00Z"));
        assertThat(Dates.parseEndExclusive("endDate", "9999-12-31", SHANGHAI))
                .isEqualTo(Instant.parse("9999-12-31T16:00:00Z"));
    }
}
