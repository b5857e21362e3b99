package io.membercard.system;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.restassured.specification.RequestSpecification;

/**
 * The platform under test, as a user reaches it: the gateway's address, and bearer tokens minted by the project's
 * own {@code tools/dev token}.
 */
final class Platform {
    static final String GATEWAY = required("system.gateway");
    private static final String DEV = required("system.dev");
    /** payment-service and member-service themselves, for what only services call (pay codes, metrics). */
    static final String PAYMENT = required("system.payment");
    static final String MEMBER = required("system.member");
    /** The platform's database (JDBC), for the tests that check the ledger itself after faults. */
    static final String DATABASE = required("system.database");
    private static final Path SECRETS = Path.of(required("system.secrets"));

    /** The platform's log folder (the gateway's access and error logs and each service's log). */
    static final Path LOGS = Path.of(required("system.logs"));
    /**
     * The logs of services {@link #kill}ed by a test, as they were: {@code tools/dev up} starts a service on a new,
     * empty log. {@link LogScanTest} reads them with {@link #LOGS}.
     */
    static final Path KILLED_LOGS = Path.of("target", "killed-service-logs").toAbsolutePath();
    static {
        try {
            if (Files.isDirectory(KILLED_LOGS)) {
                try (var files = Files.list(KILLED_LOGS)) {
                    for (Path file : files.toList()) {
                        Files.delete(file);
                    }
                }
            }
            Files.createDirectories(KILLED_LOGS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + KILLED_LOGS, e);
        }
    }

    private Platform() {
    }

    /** A card mac a test writes to a card or sends: recorded for the scan of the logs ({@link LogScanTest}). */
    static String mac(String mac) {
        return SentSecrets.record("a card mac", mac);
    }

    /** A phone number a test sends: recorded for the scan of the logs. */
    static String phone(String phone) {
        return SentSecrets.record("a phone number", phone);
    }

    /** An identity number a test sends: recorded for the scan of the logs. */
    static String idCard(String idCard) {
        return SentSecrets.record("an identity number", idCard);
    }

    /** A password, a partner's secret, a pay code, any other secret a test sends: recorded for the scan of the logs. */
    static String secret(String secret) {
        return SentSecrets.record("a secret", secret);
    }

    static long newTenant() {
        return ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);
    }

    /** A token from {@code tools/dev token --tenant T [--shop S] --roles R}. */
    static String token(long tenant, Long shop, String roles) {
        ProcessBuilder builder = shop == null
                ? new ProcessBuilder(DEV, "token", "--tenant", Long.toString(tenant), "--roles", roles)
                : new ProcessBuilder(DEV, "token", "--tenant", Long.toString(tenant), "--shop", Long.toString(shop),
                        "--roles", roles);
        try {
            Process process = builder.redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String token = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0 || token.isEmpty()) {
                throw new IllegalStateException("tools/dev token failed");
            }
            // The token, and its signature alone (a log that cut the token would still hold it).
            SentSecrets.record("a signature of a bearer token", token.substring(token.lastIndexOf('.') + 1));
            return SentSecrets.record("a bearer token", token);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Everything the platform has logged so far: the gateway's access log and every service's log. */
    static String allLogs() {
        StringBuilder all = new StringBuilder();
        try (var files = java.nio.file.Files.list(LOGS)) {
            for (Path file : files.toList()) {
                all.append(java.nio.file.Files.readString(file, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the platform's logs in " + LOGS, e);
        }
        return all.toString();
    }

    /** Stops {@code service} as a crash would (its process is killed), and waits until it is gone. */
    static void kill(String service) {
        try {
            long pid = Long.parseLong(java.nio.file.Files.readString(LOGS.getParent().resolve(service + ".pid"))
                    .trim());
            ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(
                    service + " is not running"));
            process.destroyForcibly();
            process.onExit().get(30, TimeUnit.SECONDS);
            Path log = LOGS.resolve(service + ".log");
            if (Files.exists(log)) {
                Files.copy(log, KILLED_LOGS.resolve(service + "-" + System.nanoTime() + ".log"));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(service + " did not stop", e);
        }
    }

    /**
     * Freezes {@code service} (SIGSTOP): it holds its connections and answers nothing, as a process stalled by its
     * machine would, until {@link #resume}. A test resumes it in a {@code finally}.
     */
    static void pause(String service) {
        signal(service, "STOP");
    }

    /** Lets a service {@link #pause}d go on (SIGCONT). */
    static void resume(String service) {
        signal(service, "CONT");
    }

    private static void signal(String service, String signal) {
        try {
            String pid = java.nio.file.Files.readString(LOGS.getParent().resolve(service + ".pid")).trim();
            Process kill = new ProcessBuilder("kill", "-" + signal, pid).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + service + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * An outage of {@code part} (postgres or redis) for {@code seconds}: {@code tools/dev outage} stops it as a crash
     * would and starts it again as {@code tools/dev up} does.
     */
    static void outage(String part, int seconds) {
        try {
            Process process = new ProcessBuilder(DEV, "outage", part, Integer.toString(seconds), "--env", "systest")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("tools/dev outage " + part + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts the services that are not running, with the project's own {@code tools/dev up}, and waits for them. */
    static void restart() {
        try {
            Process process = new ProcessBuilder(DEV, "up", "--env", "systest", "--skip-build")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("tools/dev up did not bring the platform back");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether a line of {@code service}'s log (since it was last started) holds every one of {@code parts}. */
    static boolean logged(String service, String... parts) {
        try {
            Path log = LOGS.resolve(service + ".log");
            if (!Files.exists(log)) {
                return false;
            }
            try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
                return lines.anyMatch(line -> Stream.of(parts).allMatch(line::contains));
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** Waits (up to 30 s) until {@code condition} holds; answers whether it did. */
    static boolean eventually(java.util.function.BooleanSupplier condition) {
        return within(java.time.Duration.ofSeconds(30), condition);
    }

    /** Waits (up to {@code limit}) until {@code condition} holds; answers whether it did. */
    static boolean within(java.time.Duration limit, java.util.function.BooleanSupplier condition) {
        for (long i = limit.toMillis() / 100; i > 0; i--) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    /**
     * The tenant's reconciliation report (GET api/member/cardpay/reconcile as {@code adminToken}) once the job has
     * checked every account after this call: its full pass runs every second or so on the system tests' platform.
     */
    static io.restassured.path.json.JsonPath reconciled(String adminToken) {
        java.time.Instant asked = java.time.Instant.now();
        java.time.format.DateTimeFormatter format = java.time.format.DateTimeFormatter.ofPattern(
                "yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneId.of("Asia/Shanghai"));
        io.restassured.path.json.JsonPath[] report = new io.restassured.path.json.JsonPath[1];
        boolean fresh = eventually(() -> {
            report[0] = as(adminToken).get("/api/member/cardpay/reconcile").then().statusCode(200).extract()
                    .jsonPath();
            String checked = report[0].getString("checkedAt");
            return checked != null && java.time.Instant.from(format.parse(checked)).isAfter(asked);
        });
        if (!fresh) {
            throw new AssertionError("the reconciliation job did not check the tenant's accounts within 30 s");
        }
        return report[0];
    }

    /** The key services present to each other (as wechat-gateway does when it asks for a pay code). */
    static String serviceKey() {
        try {
            return SentSecrets.record("the service key", Files.readString(SECRETS.resolve("service-key")).trim());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The secrets tools/dev keeps for the platform (the MAC pepper, the service key, the WeChat Pay sandbox's keys, the
     * token issuer's key), each line of them long enough to look for: no log may hold one.
     */
    static Map<String, String> keptSecrets() {
        Map<String, String> kept = new HashMap<>();
        Path keys = Path.of(DEV).toAbsolutePath().getParent().getParent().resolve(".dev/keys/private.pem");
        try (var files = Files.list(SECRETS)) {
            for (Path file : Stream.concat(files, Stream.of(keys)).filter(Files::isRegularFile).toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String value = line.trim();
                    if (value.length() >= 16 && !value.startsWith("-----")) {
                        kept.put(value, "a line of " + file.getFileName() + " (tools/dev's secrets)");
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read tools/dev's secrets in " + SECRETS, e);
        }
        return kept;
    }

    /** A request to the gateway as the holder of {@code token}. */
    static RequestSpecification as(String token) {
        return given().baseUri(GATEWAY).header("Authorization", "Bearer " + token);
    }

    static RequestSpecification anonymous() {
        return given().baseUri(GATEWAY);
    }

    private static String required(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            throw new IllegalStateException(name + " is not set: run the system tests with tools/dev test");
        }
        return value;
    }
}
