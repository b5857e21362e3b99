package io.membercard.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log scan can fail: secrets planted in log files are found, each on its line, and the masked forms the gateway
 * and the services write pass. Needs no platform.
 */
class LogScannerTest {
    private static final String MAC = "chip-424242-7";
    private static final String PHONE = "13712345678";
    private static final String ID_CARD = "110101199003074578";
    private static final String PARTNER_SECRET = "ps-9f8e7d6c5b4a";
    private static final LogScanner SCANNER = new LogScanner(Map.of(MAC, "a card mac", PHONE, "a phone number",
            ID_CARD, "an identity number", PARTNER_SECRET, "a partner's secret"));

    private static final List<String> CLEAN = List.of(
            "127.0.0.1 [01/Dec/2026:20:26:59 +0000] \"GET /api/member/membercard/get?cardCode=G00002&mac=*** HTTP/1.1\""
                    + " 200 311 0.012 127.0.0.1:18081 696585220282c471494c4722afbe0b7a",
            "127.0.0.1 [01/Dec/2026:20:26:59 +0000] \"GET /api/member/member/search?keyword=***&mac=*** HTTP/1.1\"",
            "2026/12/01 20:26:59 [error] 13130#13130: *3 connect() failed (111: Connection refused) while connecting to "
                    + "upstream, client: 127.0.0.1, server: , request: \"GET /api/member/member/138****5678 HTTP/1.1\"",
            "2026-12-01 20:26:59,123 INFO  [io.mem.mem.mem.MemberService] tenant 42: member 7 created (phone "
                    + "137****5678)",
            "2026-12-01 20:26:59,123 INFO  [io.mem.mem.mem.MemberService] idCard 1101**********4578 at 1764620819123",
            "2026-12-01 20:26:59,124 ERROR [io.mem.com.err.ErrorMappers] unexpected failure, reference "
                    + "550e8400-e29b-41d4-a716-446655440000",
            "WriteCard[orderId=1, id=2, mac=null] \"mac\":\"\" mac= password=*** token=***",
            "2026-12-01 20:26:59,125 INFO  [io.qua.oidc] Authorization failed? no: authorization is checked per role",
            "2026-12-01 20:26:59,126 WARN  [io.mem.com.err] a valid bearer token is required; Bearer authentication");

    @Test
    void plantedSecretsAreFoundEachOnItsLine(@TempDir Path logs) throws IOException {
        Files.write(logs.resolve("card-service.log"), List.of(
                "2026-12-01 INFO card " + MAC + " written",
                "2026-12-01 INFO a partner signed with " + PARTNER_SECRET + "!",
                "2026-12-01 INFO member " + PHONE + " and " + ID_CARD,
                "2026-12-01 WARN header Authorization: Bearer abc123def456ghi789",
                "2026-12-01 WARN token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl",
                "2026-12-01 WARN request WriteCard[orderId=1, id=2, mac=3F2A9C10]",
                "2026-12-01 WARN body {\"cardCode\":\"A1\",\"cardMac\":\"7C01AB22\"}",
                "2026-12-01 WARN lookup phone=13900139000 keyword: 13800138000",
                "2026-12-01 WARN lookup idCard=44030519900101123X",
                "-----BEGIN PRIVATE KEY-----"), StandardCharsets.UTF_8);
        Files.createDirectories(logs.resolve("saved"));
        Files.write(logs.resolve("saved/gateway-error.log"),
                List.of("2026/12/01 [error] request: \"GET /api/member/membercard/get?cardCode=A1&mac=3F2A9C10\""),
                StandardCharsets.UTF_8);
        Files.write(logs.resolve("gateway-access.log"), CLEAN, StandardCharsets.UTF_8);

        List<LogScanner.Finding> findings = SCANNER.scan(logs, logs.resolve("absent"));

        assertThat(findings).extracting(f -> f.file().getFileName().toString() + ":" + f.line() + " " + f.what())
                .containsExactlyInAnyOrder(
                        "card-service.log:1 a card mac the tests sent",
                        "card-service.log:2 a partner's secret the tests sent",
                        "card-service.log:3 a phone number the tests sent",
                        "card-service.log:3 an identity number the tests sent",
                        "card-service.log:4 an Authorization header",
                        "card-service.log:4 a bearer credential",
                        "card-service.log:5 a bearer token (JWT)",
                        "card-service.log:6 a card mac, password, secret or token with its value",
                        "card-service.log:7 a card mac, password, secret or token in JSON",
                        "card-service.log:8 a full phone number under its name",
                        "card-service.log:9 a full identity number under its name",
                        "card-service.log:10 a private key",
                        "gateway-error.log:1 a card mac, password, secret or token with its value");
        assertThat(findings).allSatisfy(f -> assertThat(f.excerpt()).doesNotContain(MAC, PHONE, ID_CARD,
                PARTNER_SECRET, "3F2A9C10", "7C01AB22", "eyJhbGciOiJSUzI1NiJ9"));
    }

    @Test
    void maskedLogsPass(@TempDir Path logs) throws IOException {
        Files.write(logs.resolve("gateway-access.log"), CLEAN, StandardCharsets.UTF_8);
        Files.write(logs.resolve("binary.log"), new byte[]{(byte) 0xff, (byte) 0xfe, 'o', 'k', '\n'});
        assertThat(SCANNER.scan(logs)).isEmpty();
    }

    @Test
    void aValueTooShortToLookForIsRefused() {
        assertThatThrownBy(() -> SentSecrets.record("a card mac", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LogScanner(Map.of("abc", "a card mac")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
