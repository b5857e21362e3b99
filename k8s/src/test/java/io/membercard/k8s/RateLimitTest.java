package io.membercard.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.sun.net.httpserver.HttpServer;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/**
 * Requests a second at the gateway (issue 10), per credential (the Authorization header: one user of one tenant) and
 * per client address, on both gateways: tools/dev's nginx and the Ingress (k8s/ingress-nginx's controller settings
 * with the dev overlay's Ingresses). Both take the same rates; where nginx is installed, each runs here on real nginx
 * in front of a stand-in service: a burst from one token is refused with 429 and the contract's envelope while another
 * token gets through, made-up tokens are held per address, and what was refused never reached the service.
 */
class RateLimitTest {
    private static final String SNIPPET = "nginx.ingress.kubernetes.io/configuration-snippet";
    private static final String ENVELOPE_START = "{\"status\":429,\"message\":\"too many requests: ";
    private static final String ENVELOPE_END = "slow down and retry after a second\"}";
    private static final Pattern ZONE = Pattern.compile(
            "(?m)^\\s*limit_req_zone (\\$\\w+) zone=(\\w+):(\\d+m) rate=(\\d+)r/s;$");

    private static ConfigMap controller;
    private static List<Ingress> ingresses;
    /** tools/dev's defaults: GATEWAY_CREDENTIAL_RATE and so on. */
    private static Map<String, Integer> local;

    @BeforeAll
    static void render() throws IOException {
        controller = (ConfigMap) Manifests.render("ingress-nginx").get(0);
        ingresses = Manifests.render("overlays/dev").stream().filter(Ingress.class::isInstance)
                .map(Ingress.class::cast).toList();
        local = new LinkedHashMap<>();
        String script = Files.readString(Manifests.ROOT.resolve("tools/dev"));
        for (String name : List.of("GATEWAY_CREDENTIAL_RATE", "GATEWAY_CREDENTIAL_BURST", "GATEWAY_ADDRESS_RATE",
                "GATEWAY_ADDRESS_BURST")) {
            Matcher value = Pattern.compile("(?m)^\\s*" + name + "=\\$\\{" + name + ":-(\\d+)}").matcher(script);
            assertThat(value.find()).as("%s's default in tools/dev", name).isTrue();
            local.put(name, Integer.parseInt(value.group(1)));
        }
    }

    @Test
    void theControllerKeepsBothBudgetsAtTheLocalGatewaysRates() {
        // zone: its key and rate
        Map<String, String> zones = new LinkedHashMap<>();
        Matcher zone = ZONE.matcher(controller.getData().get("http-snippet"));
        while (zone.find()) {
            zones.put(zone.group(2), zone.group(1) + " " + zone.group(4) + "r/s");
        }
        // Exactly these two: per credential and per address. Nothing keyed on the tenant: nginx cannot verify the token,
        // and an unverified tenant_id claim would let forged tokens spend another tenant's budget.
        assertThat(zones).containsOnly(
                Map.entry("membercard_credential",
                        "$http_authorization " + local.get("GATEWAY_CREDENTIAL_RATE") + "r/s"),
                Map.entry("membercard_address", "$binary_remote_addr " + local.get("GATEWAY_ADDRESS_RATE") + "r/s"));
        // And member files per credential, a few a minute (the upload Ingress).
        assertThat(controller.getData().get("http-snippet"))
                .contains("limit_req_zone $http_authorization zone=membercard_upload:10m rate=6r/m;");
        assertThat(controller.getData().get("http-snippet").split("limit_req_zone ", -1)).hasSize(4);
        assertThat(controller.getData()).containsEntry("limit-req-status-code", "429");
        assertThat(controller.getData().get("server-snippet")).contains("location @membercard_too_many_requests {")
                .contains("add_header Retry-After 1 always;").contains("return 429 '" + ENVELOPE_START);
    }

    @Test
    void everyIngressTakesBothBudgetsAtTheLocalGatewaysBursts() {
        assertThat(ingresses).extracting(i -> i.getMetadata().getName())
                .containsExactlyInAnyOrder("membercard", "membercard-upload");
        for (Ingress ingress : ingresses) {
            assertThat(ingress.getMetadata().getAnnotations().get(SNIPPET)).as("%s's %s", ingress.getMetadata()
                    .getName(), SNIPPET).isEqualTo("""
                            limit_req zone=membercard_credential burst=%d nodelay;
                            limit_req zone=membercard_address burst=%d nodelay;
                            %serror_page 429 @membercard_too_many_requests;
                            """.formatted(local.get("GATEWAY_CREDENTIAL_BURST"), local.get("GATEWAY_ADDRESS_BURST"),
                            ingress.getMetadata().getName().equals("membercard-upload")
                                    ? "limit_req zone=membercard_upload burst=2 nodelay;\n"
                                    : ""));
        }
    }

    @Test
    void theControllerTakesTheSnippetAndHoldsDangerousOnesBack() {
        // configuration-snippet is a Critical annotation: refused unless snippets are allowed at that risk level.
        assertThat(controller.getData()).containsEntry("allow-snippet-annotations", "true")
                .containsEntry("annotations-risk-level", "Critical");
        // ingress-nginx's suggested blocklist (CVE-2021-25742): an Ingress whose annotation value contains one of these
        // words is not configured at all. membercard's own must pass it, as ingress-nginx checks them.
        List<String> words = List.of(controller.getData().get("annotation-value-word-blocklist").split(","));
        assertThat(words).contains("load_module", "lua_package", "_by_lua", "location", "root", "proxy_pass",
                "serviceaccount", "{", "}", "'", "\"");
        for (Ingress ingress : ingresses) {
            ingress.getMetadata().getAnnotations().forEach((key, value) -> {
                if (key.startsWith("nginx.ingress.kubernetes.io/")) {
                    assertThat(words).as("%s %s", ingress.getMetadata().getName(), key)
                            .noneMatch(word -> value.contains(word) || value.contains(word.trim()));
                }
            });
        }
    }

    @Test
    void theLocalGatewayTakesItsRatesFromTheEnvironment() throws Exception {
        String conf = localGatewayConf(Map.of("GATEWAY_CREDENTIAL_RATE", "7", "GATEWAY_CREDENTIAL_BURST", "9",
                "GATEWAY_ADDRESS_RATE", "70", "GATEWAY_ADDRESS_BURST", "90"));
        assertThat(conf).contains("limit_req_zone $http_authorization zone=membercard_credential:32m rate=7r/s;")
                .contains("limit_req_zone $binary_remote_addr zone=membercard_address:10m rate=70r/s;")
                .contains("limit_req zone=membercard_credential burst=9 nodelay; "
                        + "limit_req zone=membercard_address burst=90 nodelay;");
        // Every route of the contract takes both budgets; /healthz takes none.
        List<String> routes = conf.lines().filter(line -> line.contains("proxy_pass")).toList();
        assertThat(routes).isNotEmpty().allSatisfy(line -> assertThat(line)
                .contains("limit_req zone=membercard_credential burst=9 nodelay;")
                .contains("limit_req zone=membercard_address burst=90 nodelay;"));
        assertThat(conf.lines().filter(line -> line.contains("/healthz"))).singleElement()
                .satisfies(line -> assertThat(line).doesNotContain("limit_req"));

        Process refused = devGatewayConf(Map.of("GATEWAY_CREDENTIAL_RATE", "20r/s")).start();
        String error = new String(refused.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(refused.waitFor(30, TimeUnit.SECONDS) && refused.exitValue() != 0).as("exit status").isTrue();
        assertThat(error).contains("GATEWAY_CREDENTIAL_RATE must be a whole number");
    }

    /** The two gateways, each as real nginx runs it. */
    enum Gateway {
        /** k8s/ingress-nginx's ConfigMap and the dev overlay's Ingresses, put together as ingress-nginx does. */
        INGRESS,
        /** tools/dev's gateway: its configuration as tools/dev gateway-conf prints it. */
        LOCAL
    }

    private final List<Process> started = new ArrayList<>();
    private HttpServer service;
    private ExecutorService serviceThreads;

    @AfterEach
    void stop() throws InterruptedException {
        for (Process nginx : started) {
            nginx.destroy();
            nginx.waitFor(10, TimeUnit.SECONDS);
        }
        if (service != null) {
            service.stop(0);
            serviceThreads.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(Gateway.class)
    void aBurstFromOneTokenIsRefusedWithTheEnvelopeWhileAnotherTokenGetsThrough(Gateway gateway, @TempDir Path dir)
            throws Exception {
        Map<String, AtomicInteger> reached = new ConcurrentHashMap<>();
        URI base = start(gateway, dir, reached);
        int burst = local.get("GATEWAY_CREDENTIAL_BURST");
        int rate = local.get("GATEWAY_CREDENTIAL_RATE");
        // One token, three times its burst at once from many clients (a path with an extension too: the refusal is
        // JSON all the same); another user's token at the same moment.
        ExecutorService other = Executors.newSingleThreadExecutor();
        long began = System.nanoTime();
        Future<List<HttpResponse<String>>> otherUser;
        List<HttpResponse<String>> bursting;
        try {
            otherUser = other.submit(() -> concurrently(30, 5, n -> get(base.resolve(
                    "/api/member/membercardclass/getlist"), "Bearer other-user")));
            bursting = concurrently(3 * burst, 50, n -> get(base.resolve(n % 2 == 0
                    ? "/api/member/membercardclass/getlist"
                    : "/api/member/membercard/card.html"), "Bearer bursting-user"));
        } finally {
            other.shutdown();
        }
        double seconds = (System.nanoTime() - began) / 1e9;

        List<HttpResponse<String>> refused = bursting.stream().filter(r -> r.statusCode() == 429).toList();
        long passed = bursting.stream().filter(r -> r.statusCode() == 200).count();
        assertThat(passed + refused.size()).as("every answer is 200 or 429").isEqualTo(bursting.size());
        assertThat(passed).as("the burst and what the rate added in %.2f s", seconds)
                .isBetween((long) burst + 1, (long) burst + 2 + (long) Math.ceil(rate * seconds));
        assertThat(refused).allSatisfy(RateLimitTest::isTheEnvelope);
        // A refused request never reached the service.
        assertThat(reached.get("Bearer bursting-user").get()).isEqualTo((int) passed);
        assertThat(otherUser.get(60, TimeUnit.SECONDS)).extracting(HttpResponse::statusCode).containsOnly(200);
        assertThat(reached.get("Bearer other-user").get()).isEqualTo(30);
    }

    @ParameterizedTest
    @EnumSource(Gateway.class)
    void madeUpTokensAreHeldPerAddress(Gateway gateway, @TempDir Path dir) throws Exception {
        URI base = start(gateway, dir, new ConcurrentHashMap<>());
        int burst = local.get("GATEWAY_ADDRESS_BURST");
        int rate = local.get("GATEWAY_ADDRESS_RATE");
        long began = System.nanoTime();
        List<HttpResponse<String>> answers = concurrently(5 * burst, 50,
                n -> get(base.resolve("/api/member/cardpay/getcardinfo"), "Bearer made-up-" + n));
        double seconds = (System.nanoTime() - began) / 1e9;
        long passed = answers.stream().filter(r -> r.statusCode() == 200).count();
        assertThat(passed).as("the address's burst and what its rate added in %.2f s", seconds)
                .isBetween((long) burst + 1, (long) burst + 2 + (long) Math.ceil(rate * seconds));
        assertThat(answers).filteredOn(r -> r.statusCode() != 200).isNotEmpty()
                .allSatisfy(RateLimitTest::isTheEnvelope);
    }

    @ParameterizedTest
    @EnumSource(Gateway.class)
    void requestsWithoutATokenAreHeldPerAddressOnly(Gateway gateway, @TempDir Path dir) throws Exception {
        // The open API: partners sign the body and send no Authorization. More at once than one token may send, fewer
        // than one address may: all of them pass.
        URI base = start(gateway, dir, new ConcurrentHashMap<>());
        int many = (local.get("GATEWAY_CREDENTIAL_BURST") + local.get("GATEWAY_ADDRESS_BURST")) / 2;
        assertThat(concurrently(many, 50, n -> get(base.resolve("/api/open/gateway"), null)))
                .extracting(HttpResponse::statusCode).containsOnly(200);
    }

    @ParameterizedTest
    @EnumSource(Gateway.class)
    void aServicesOwn429ReachesTheClientAsWritten(Gateway gateway, @TempDir Path dir) throws Exception {
        // member-service's limit on a cashier's look-ups, or a service's per-tenant rate: its own message and delay.
        URI base = start(gateway, dir, new ConcurrentHashMap<>());
        HttpResponse<String> answer = get(base.resolve("/api/member/member/limited"), "Bearer cashier");
        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(answer.body()).isEqualTo(STAND_IN_429);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("60");
    }

    @Test
    void theLocalGatewaysHealthIsNotLimited(@TempDir Path dir) throws Exception {
        URI base = start(Gateway.LOCAL, dir, new ConcurrentHashMap<>());
        assertThat(concurrently(3 * local.get("GATEWAY_ADDRESS_BURST"), 50, n -> get(base.resolve("/healthz"), null)))
                .extracting(HttpResponse::statusCode).containsOnly(200);
    }

    private static void isTheEnvelope(HttpResponse<String> refused) {
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).startsWith(ENVELOPE_START).endsWith(ENVELOPE_END);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.headers().firstValue("X-Served-By")).as("no service answered it").isEmpty();
    }

    // --- nginx and the stand-in service ------------------------------------------------------------------------------

    private static final String STAND_IN_429 = "{\"status\":429,\"message\":\"too many member look-ups: a till may "
            + "look up 30 members a minute; try again in a minute\"}";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * Starts a stand-in for every service (it answers 200, or its own 429 on a path ending in /limited, and counts
     * what reached it by Authorization header), then {@code gateway} in front of it; answers the gateway's address.
     */
    private URI start(Gateway gateway, Path dir, Map<String, AtomicInteger> reached) throws Exception {
        assumeTrue(nginx() != null, "nginx is not installed (tools/dev test installs it)");
        service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        serviceThreads = Executors.newFixedThreadPool(16);
        service.setExecutor(serviceThreads);
        service.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            reached.computeIfAbsent(authorization == null ? "" : authorization, a -> new AtomicInteger())
                    .incrementAndGet();
            boolean limited = exchange.getRequestURI().getPath().endsWith("/limited");
            byte[] body = (limited ? STAND_IN_429 : "{\"status\":200,\"message\":\"\",\"data\":[]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (limited) {
                exchange.getResponseHeaders().add("Retry-After", "60");
            }
            exchange.sendResponseHeaders(limited ? 429 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        service.start();
        int upstream = service.getAddress().getPort();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String conf = gateway == Gateway.INGRESS ? ingressConf(dir, port, upstream) : localConf(dir, port, upstream);
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        Process check = new ProcessBuilder(nginx(), "-t", "-q", "-e", "stderr", "-p", dir.toString(), "-c",
                file.toString()).redirectErrorStream(true).start();
        String checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0).as("nginx -t: %s\n%s", checked,
                conf).isTrue();
        // In the foreground, one process: ended by stop().
        List<String> command = new ArrayList<>(List.of(nginx(), "-e", "stderr", "-p", dir.toString(), "-c",
                file.toString()));
        if (gateway == Gateway.LOCAL) {
            command.addAll(List.of("-g", "daemon off; master_process off;"));
        }
        started.add(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile()).start());
        URI base = URI.create("http://127.0.0.1:" + port);
        for (int i = 0; i < 100; i++) {
            try {
                CLIENT.send(HttpRequest.newBuilder(base.resolve("/nginx-is-up")).build(),
                        HttpResponse.BodyHandlers.discarding());
                return base;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("nginx did not start: " + Files.readString(dir.resolve("nginx.out")));
    }

    /**
     * The controller's http block in short, with its ConfigMap's settings, its server with the ConfigMap's
     * server-snippet, and a location for each path of each Ingress with the Ingress's configuration-snippet, as
     * ingress-nginx's template writes them.
     */
    private static String ingressConf(Path dir, int port, int upstream) {
        Map<String, String> data = controller.getData();
        StringBuilder locations = new StringBuilder();
        for (Ingress ingress : ingresses) {
            for (HTTPIngressPath path : ingress.getSpec().getRules().get(0).getHttp().getPaths()) {
                locations.append("    location ").append(path.getPathType().equals("Exact") ? "= " : "")
                        .append(path.getPath()).append(" {\n")
                        .append(ingress.getMetadata().getAnnotations().getOrDefault(SNIPPET, ""))
                        .append("      proxy_pass http://127.0.0.1:").append(upstream).append(";\n    }\n");
            }
        }
        return """
                daemon off;
                master_process off;
                pid %1$s/nginx.pid;
                error_log stderr %2$s;
                events { worker_connections 1024; }
                http {
                  default_type text/html;
                  types { text/html html; }
                %3$s
                  limit_req_status %4$s;
                  access_log off;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  proxy_http_version 1.1;
                  server {
                    listen 127.0.0.1:%5$d;
                %6$s
                %7$s
                    location / { return 404; }
                  }
                }
                """.formatted(dir, data.get("error-log-level"), data.get("http-snippet"),
                data.get("limit-req-status-code"), port, locations, data.get("server-snippet"));
    }

    /** tools/dev gateway-conf's output, its state folder, port and services' ports replaced by the test's. */
    private static String localConf(Path dir, int port, int upstream) throws Exception {
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("nginx"));
        String conf = localGatewayConf(Map.of());
        String state = Manifests.ROOT.resolve(".dev/local").toString();
        assertThat(conf).contains(state + "/nginx.pid").contains("listen 127.0.0.1:8080;");
        return conf.replace(state, dir.toString()).replace("listen 127.0.0.1:8080;", "listen 127.0.0.1:" + port + ";")
                .replaceAll("server 127\\.0\\.0\\.1:808[1-5];", "server 127.0.0.1:" + upstream + ";");
    }

    /** {@code tools/dev gateway-conf} for the local environment, with {@code environment} and no other override. */
    private static String localGatewayConf(Map<String, String> environment) throws Exception {
        Process process = devGatewayConf(environment).start();
        String conf = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String error = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0)
                .as("tools/dev gateway-conf: %s", error).isTrue();
        return conf;
    }

    private static ProcessBuilder devGatewayConf(Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(Manifests.ROOT.resolve("tools/dev").toString(), "gateway-conf",
                "--env", "local");
        builder.environment().keySet().removeIf(name -> name.startsWith("GATEWAY_"));
        builder.environment().putAll(environment);
        return builder;
    }

    private static HttpResponse<String> get(URI uri, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code requests} calls of {@code call}, from {@code clients} threads that all start at the same moment. */
    private static <T> List<T> concurrently(int requests, int clients, IntFunction<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger next = new AtomicInteger();
        List<T> answers = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    go.await();
                    for (int n = next.getAndIncrement(); n < requests; n = next.getAndIncrement()) {
                        answers.add(call.apply(n));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> client : running) {
                client.get(120, TimeUnit.SECONDS);
            }
            return new ArrayList<>(answers);
        } finally {
            pool.shutdownNow();
        }
    }

    private static String nginx() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx",
                "/usr/local/nginx/sbin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }
}
