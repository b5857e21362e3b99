package io.membercard.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * After every other system test (junit-platform.properties orders the classes by {@link Order}; the others have the
 * default one): no log the platform wrote while they ran holds a secret or personal data. Not the macs, phones,
 * identity numbers, secrets and tokens the tests sent ({@link SentSecrets}), not the keys tools/dev keeps, nor anything
 * shaped like a secret ({@link LogScanner}). The logs are the gateway's access and error logs and each service's log,
 * those of services killed part-way included; tools/dev test starts the run with empty ones.
 */
@Order(Integer.MAX_VALUE)
class LogScanTest {

    @Test
    void noLogOfThePlatformHoldsASecretOrPersonalData() {
        for (String log : List.of("gateway-access.log", "gateway-error.log", "card-service.log", "member-service.log",
                "payment-service.log", "wechat-gateway.log", "settlement-service.log")) {
            assertThat(Platform.LOGS.resolve(log)).as("the platform's %s", log).exists();
        }
        assertThat(Platform.LOGS.resolve("gateway-access.log")).as("the gateway's access log").isNotEmptyFile();
        Map<String, String> known = new HashMap<>(Platform.keptSecrets());
        known.putAll(SentSecrets.all());

        List<LogScanner.Finding> findings = new LogScanner(known).scan(Platform.LOGS, Platform.KILLED_LOGS);

        assertThat(findings.stream().limit(50).map(LogScanner.Finding::toString).toList())
                .as("%d lines of the platform's logs hold a secret or personal data (%d known values looked for); "
                        + "the first ones", findings.size(), known.size())
                .isEmpty();
    }
}
