package io.membercard.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prepares the cards {@code tools/bench cardpay} pays with, through the gateway as a shop would: a card class, one
 * batch order, every card written (MAC {@code mac-<code>}) and recharged with 10,000. Writes the card codes, one a
 * line, and a cashier's token of the tenant; wrk then drives the payments ({@code bench/cardpay.lua}).
 *
 * <pre>
 * java -cp bench/target/classes io.membercard.bench.BenchCards gateway=http://127.0.0.1:8080 dev=tools/dev
 *      cards=10000 out=cards.txt token=token.txt
 * </pre>
 */
public final class BenchCards {
    private static final Pattern DATA_ID = Pattern.compile("\"data\":(\\d+)");
    private static final Pattern DETAIL_ID = Pattern
            .compile("\"cardCode\":\"([^\"]+)\",\"isFinished\":(?:true|false),\"id\":(\\d+)");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String gateway;
    private final String manager;
    private final String cashier;
    private final String prefix = "PB" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36).toUpperCase();

    private BenchCards(String gateway, String manager, String cashier) {
        this.gateway = gateway;
        this.manager = manager;
        this.cashier = cashier;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            int at = arg.indexOf('=');
            options.put(arg.substring(0, at), arg.substring(at + 1));
        }
        String gateway = options.getOrDefault("gateway", "http://127.0.0.1:8080");
        String dev = options.getOrDefault("dev", "tools/dev");
        int cards = Integer.parseInt(options.getOrDefault("cards", "10000"));
        long tenant = ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);
        String cashier = token(dev, tenant, "cashier", "1");
        BenchCards bench = new BenchCards(gateway, token(dev, tenant, "manager", null), cashier);
        bench.raiseLimits(token(dev, tenant, "platform-admin", null), tenant);
        List<String> codes = bench.prepareCards(cards);
        Files.writeString(Path.of(options.getOrDefault("out", "cards.txt")), String.join("\n", codes) + "\n");
        Files.writeString(Path.of(options.getOrDefault("token", "token.txt")), cashier + "\n");
        log(cards + " cards of tenant " + tenant + " ready");
    }

    /**
     * A benchmark asks of its tenant far more than a tenant may do by default (issue 10: requests a second, cards a
     * day): a platform admin raises its limits to their ceilings before the tenant's first request.
     */
    private void raiseLimits(String platformAdmin, long tenant) throws Exception {
        for (String limit : List.of("requestsPerSecond:10000", "batchCardsPerDay:10000000",
                "partnerCardsPerDay:1000000", "uploadsPerDay:10000", "heavyJobs:20")) {
            String[] parts = limit.split(":");
            expectOk(post(platformAdmin, "/api/member/setting/savelimit?tenantId=" + tenant, null, "{\"name\":\""
                    + parts[0] + "\",\"value\":" + parts[1] + "}"));
        }
    }

    private String macOf(String card) {
        return "mac-" + card;
    }

    /** A card class, one batch order of {@code count} cards, each written and recharged with 10,000. */
    private List<String> prepareCards(int count) throws Exception {
        long cardClass = id(post(manager, "/api/member/membercardclass/save", null,
                "{\"name\":\"Bench\",\"cardType\":4,\"canRecharge\":true,\"canPoint\":true,\"pointsBasic\":1,"
                        + "\"pointsToOne\":100,\"pointsValidDays\":365}"));
        log("creating " + count + " cards");
        long order = id(post(manager, "/api/member/membercard/batchcreate?shopid=1", null,
                "{\"memberCardClassId\":" + cardClass + ",\"startCode\":\"" + prefix + "00000\",\"expectCount\":"
                        + count + "}"));
        // An order's cards come 500 to a page.
        List<String[]> details = new ArrayList<>();
        for (int page = 1; details.size() < count; page++) {
            String detail = get(manager, "/api/member/membercard/getcreateorder?id=" + order + "&detailPageSize=500"
                    + "&detailPageIndex=" + page);
            int before = details.size();
            Matcher matcher = DETAIL_ID.matcher(detail);
            while (matcher.find()) {
                details.add(new String[]{matcher.group(1), matcher.group(2)});
            }
            if (details.size() == before) {
                break;
            }
        }
        if (details.size() != count) {
            throw new IllegalStateException("expected " + count + " cards, read " + details.size());
        }
        log("writing and recharging " + count + " cards");
        parallel(details.size(), 32, i -> {
            String[] card = details.get(i);
            expectOk(post(cashier, "/api/member/membercard/writecard", null, "{\"orderId\":" + order + ",\"id\":"
                    + card[1] + ",\"mac\":\"" + macOf(card[0]) + "\"}"));
            expectOk(post(cashier, "/api/member/recharge/recharge", prefix + "-rc-" + i, "{\"cardCode\":\""
                    + card[0] + "\",\"mac\":\"" + macOf(card[0]) + "\",\"payMoney\":10000,\"details\":[{"
                    + "\"paymentType\":1,\"money\":10000}]}"));
        });
        return details.stream().map(card -> card[0]).toList();
    }

    private interface Task {
        void run(int index) throws Exception;
    }

    private static void parallel(int count, int threads, Task task) throws InterruptedException {
        AtomicLong next = new AtomicLong();
        ConcurrentLinkedQueue<Exception> errors = new ConcurrentLinkedQueue<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                for (long i = next.getAndIncrement(); i < count && errors.isEmpty(); i = next.getAndIncrement()) {
                    try {
                        task.run((int) i);
                    } catch (Exception e) {
                        errors.add(e);
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("setup failed", errors.peek());
        }
    }

    private String post(String token, String path, String idempotencyKey, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private String get(String token, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static long id(String answer) {
        Matcher matcher = DATA_ID.matcher(answer);
        if (!matcher.find()) {
            throw new IllegalStateException("unexpected answer: " + answer);
        }
        return Long.parseLong(matcher.group(1));
    }

    private static void expectOk(String answer) {
        if (!answer.startsWith("{\"status\":200")) {
            throw new IllegalStateException("unexpected answer: " + answer);
        }
    }

    private static String token(String dev, long tenant, String role, String shop) throws Exception {
        List<String> command = new ArrayList<>(List.of(dev, "token", "--tenant", Long.toString(tenant), "--roles",
                role));
        if (shop != null) {
            command.addAll(List.of("--shop", shop));
        }
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String token = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("tools/dev token failed");
        }
        return token;
    }

    private static void log(String message) {
        System.err.println("bench cards: " + message);
    }
}
