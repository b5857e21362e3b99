package io.membercard.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void aCallersTextCannotWriteALineOfItsOwnNorFillTheLog() {
        assertThat(LogText.bounded("P1\n2026-12-01 ERROR forged line")).isEqualTo("P1\\n2026-12-01 ERROR forged line");
        assertThat(LogText.bounded("a\"b\\c\u0000")).isEqualTo("a\\\"b\\\\c\\u0000");
        assertThat(LogText.bounded("x".repeat(1000), 10)).isEqualTo("xxxxxxxxxx…(1000 chars)");
        assertThat(LogText.bounded(null)).isEqualTo("null");
    }

    @Test
    void anErrorsUrlLosesItsQueryString() {
        Exception e = new IllegalStateException(
                "timeout while executing GET /internal/cards/check?cardCode=A1&mac=s3cr3t "
                        + "after 3000 ms");
        assertThat(LogText.error(e)).contains("/internal/cards/check?…").doesNotContain("s3cr3t")
                .contains("after 3000 ms");
    }
}
