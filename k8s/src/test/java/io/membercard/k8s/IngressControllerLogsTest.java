package io.membercard.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * k8s/ingress-nginx, the ingress-nginx controller's ConfigMap: its access log writes the URI with every secret or
 * personal value masked and no header, its error log keeps no request line. The masking maps are run here as nginx
 * runs them (first with Java's regex engine, then, where nginx is installed, by nginx itself).
 */
class IngressControllerLogsTest {
    /** Request URIs as a till, a mini-program or a stranger sends them, and what the access log must write. */
    private static final Map<String, String> LOGGED = new LinkedHashMap<>();
    static {
        LOGGED.put("/api/member/membercard/get?cardCode=G00002&mac=3F2A9C10",
                "/api/member/membercard/get?cardCode=G00002&mac=***");
        LOGGED.put("/api/member/member/search?keyword=13800138000&mac=7C01AB22",
                "/api/member/member/search?keyword=***&mac=***");
        LOGGED.put("/api/member/member/getlist?keyword=%E6%9D%8E%E9%9B%B7&pageIndex=1&pageSize=20",
                "/api/member/member/getlist?keyword=***&pageIndex=1&pageSize=20");
        LOGGED.put("/api/member/cardpay/getcardinfobymac?mac=3F2A9C10", "/api/member/cardpay/getcardinfobymac?mac=***");
        LOGGED.put("/api/weixin/wxcard/getmembercard?cardId=pX1&wxCode=081a2b3c",
                "/api/weixin/wxcard/getmembercard?cardId=pX1&wxCode=***");
        LOGGED.put("/api/weixin/notify/7?signature=5f3a&timestamp=1700000000&nonce=n1&echostr=e1",
                "/api/weixin/notify/7?signature=***&timestamp=1700000000&nonce=n1&echostr=e1");
        // Any case, names that contain a masked one, %-escaped names (the services decode them), ";" as a separator.
        LOGGED.put("/x?pageIndex=1&MAC=A1&cardMac=B2&m%61c=C3&x=1;phone=13900139000&idCard=110101199003074578",
                "/x?pageIndex=1&MAC=***&cardMac=***&m%61c=***&x=1;phone=***&...");
        LOGGED.put("/x?password=p4&access_token=t5&id=1", "/x?password=***&access_token=***&id=1");
        LOGGED.put("/x?mac=AB;keyword=13800138000&id=1", "/x?mac=***&id=1");
        // A repeated parameter: every value, or the query string left out from the fourth on.
        LOGGED.put("/x?mac=A1&mac=B2&mac=C3", "/x?mac=***&mac=***&mac=***");
        LOGGED.put("/x?mac=A1&mac=B2&mac=C3&mac=D4&id=1", "/x?mac=***&mac=***&mac=***&mac=***&...");
        LOGGED.put("/x?mac=***&mac=D4", "/x?mac=***&mac=***");
        // Full mobile and identity numbers anywhere else (a card number may be a phone number).
        LOGGED.put("/api/member/membercard/get?cardCode=13800138000&mac=X1",
                "/api/member/membercard/get?cardCode=***&mac=***");
        LOGGED.put("/api/member/member/13800138000", "/api/member/member/***");
        LOGGED.put("/x/110101199003074578?id=1", "/x/***?id=1");
        LOGGED.put("/x/13800138000/13900139000/13700137000/1", "/x/***/***/***...");
        // What is neither is written as it came.
        LOGGED.put("/api/member/membercard/getcreateorderlist?shopid=1&isFinished=1&pageIndex=1&pageSize=20",
                "/api/member/membercard/getcreateorderlist?shopid=1&isFinished=1&pageIndex=1&pageSize=20");
        LOGGED.put("/api/member/recharge/getrefund?cardCode=P0002", "/api/member/recharge/getrefund?cardCode=P0002");
        LOGGED.put("/x?t=1700000000000&id=138001380001&code=B-1", "/x?t=1700000000000&id=138001380001&code=B-1");
        LOGGED.put("/healthz", "/healthz");
    }

    private static ConfigMap controller;

    @BeforeAll
    static void render() {
        List<HasMetadata> objects = Manifests.render("ingress-nginx");
        assertThat(objects).singleElement().isInstanceOf(ConfigMap.class);
        controller = (ConfigMap) objects.get(0);
    }

    @Test
    void itIsTheControllersConfigMap() {
        assertThat(controller.getMetadata().getName()).isEqualTo("ingress-nginx-controller");
        assertThat(controller.getMetadata().getNamespace()).isEqualTo("ingress-nginx");
        // The log settings, and the requests a second membercard's Ingresses take (RateLimitTest).
        assertThat(controller.getData()).containsOnlyKeys("log-format-upstream", "error-log-level", "http-snippet",
                "limit-req-status-code", "allow-snippet-annotations", "annotations-risk-level",
                "annotation-value-word-blocklist", "server-snippet");
    }

    @Test
    void theAccessLogWritesTheMaskedUriAndNoHeader() {
        String format = controller.getData().get("log-format-upstream");
        assertThat(format).contains("\"$request_method $membercard_log_uri $server_protocol\"")
                .contains("$status", "$upstream_addr", "$upstream_status", "$req_id");
        // Whatever holds the query string, a header or a body stays out; a quote would end the controller's
        // log_format '...'.
        assertThat(format)
                .doesNotContainPattern("\\$(request|request_uri|uri|document_uri|args|query_string)(?![a-z_])")
                .doesNotContainPattern("\\$(arg|http|cookie|sent_http)_").doesNotContain("$remote_user")
                .doesNotContain("$request_body").doesNotContain("'").doesNotContain("\n");
    }

    @Test
    void theErrorLogKeepsNoRequestLine() {
        // Below alert (crit, error, ...), a failed upstream call or a full disk writes the request line, query included;
        // so does every request limit_req refuses (at error).
        assertThat(controller.getData().get("error-log-level")).isIn("alert", "emerg");
        // No snippet of the controller changes where or what it logs.
        assertThat(controller.getData().get("server-snippet") + controller.getData().get("http-snippet"))
                .doesNotContainPattern("(?m)^\\s*(access_log|error_log|log_format|log_not_found|log_subrequest"
                        + "|limit_req_log_level)\\b");
    }

    @Test
    void theMapsMaskTheNamesTheLocalGatewayMasks() throws IOException {
        Matcher names = Pattern.compile("(?m)^LOG_MASKED_NAMES='([^']+)'$")
                .matcher(Files.readString(Manifests.ROOT.resolve("tools/dev")));
        assertThat(names.find()).as("LOG_MASKED_NAMES in tools/dev").isTrue();
        String snippet = controller.getData().get("http-snippet");
        assertThat(snippet.split(Pattern.quote("(?:" + names.group(1) + ")"), -1)).as("maps naming them").hasSize(5);
        assertThat(maps(snippet)).hasSize(7);
    }

    static List<Map.Entry<String, String>> logged() {
        return new ArrayList<>(LOGGED.entrySet());
    }

    @ParameterizedTest
    @MethodSource("logged")
    void theAccessLogWritesEachUriMasked(Map.Entry<String, String> uri) {
        assertThat(logUri(controller.getData().get("http-snippet"), uri.getKey())).isEqualTo(uri.getValue());
    }

    @Test
    void nginxItselfMasksThemSo(@TempDir Path dir) throws Exception {
        assumeTrue(nginx() != null, "nginx is not installed (tools/dev test installs it)");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = dir.resolve("access.log");
        // The controller's http block in short: its log_format line, and what defines $req_id and
        // $proxy_upstream_name there.
        String conf = """
                daemon off;
                master_process off;
                pid %1$s/nginx.pid;
                error_log stderr %2$s;
                events { worker_connections 16; }
                http {
                %3$s
                  map $http_x_request_id $req_id { default $http_x_request_id; "" $request_id; }
                  map $host $proxy_upstream_name { default upstream-membercard-card-service-http; }
                  log_format upstreaminfo '%4$s';
                  access_log %5$s upstreaminfo;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  server { listen 127.0.0.1:%6$d; location / { return 200 ok; } }
                }
                """.formatted(dir, controller.getData().get("error-log-level"),
                controller.getData().get("http-snippet"), controller.getData().get("log-format-upstream"), log, port);
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        Process check = new ProcessBuilder(nginx(), "-t", "-q", "-e", "stderr", "-p", dir.toString(), "-c",
                file.toString()).redirectErrorStream(true).start();
        String checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0).as("nginx -t: %s", checked).isTrue();

        Process nginx = new ProcessBuilder(nginx(), "-e", "stderr", "-p", dir.toString(), "-c", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            for (int i = 0; i < 50; i++) {
                try {
                    client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                            HttpResponse.BodyHandlers.discarding());
                    break;
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            // nginx writes a request's line after it has answered: the probe's, then each of these, may come late.
            awaitLines(log, 1);
            Files.writeString(log, "");
            for (String uri : LOGGED.keySet()) {
                client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + uri))
                        .header("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2ln")
                        .header("Cookie", "session=s3cr3t").build(), HttpResponse.BodyHandlers.discarding());
            }
            awaitLines(log, LOGGED.size());
            List<String> lines = Files.readAllLines(log);
            assertThat(lines).hasSize(LOGGED.size());
            List<String> uris = lines.stream()
                    .map(line -> line.replaceFirst("^[^\"]*\"GET (\\S*) HTTP/1\\.1\".*$", "$1")).toList();
            assertThat(uris).containsExactlyElementsOf(LOGGED.values());
            assertThat(String.join("\n", lines)).doesNotContain("eyJ").doesNotContain("s3cr3t");
        } finally {
            nginx.destroy();
            nginx.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Waits (up to 5 s) until {@code log} has at least {@code count} lines. */
    private static void awaitLines(Path log, int count) throws IOException, InterruptedException {
        for (int i = 0; i < 250 && Files.readAllLines(log).size() < count; i++) {
            Thread.sleep(20);
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

    /** One map of the snippet: {@code map $from $to { "~regex" "value"; default $from; }}. */
    private record NginxMap(String from, String to, Pattern regex, String value) {
    }

    private static final Pattern MAP = Pattern.compile(
            "map \\$(\\w+) \\$(\\w+) \\{\\s*\"((?:[^\"\\\\]|\\\\.)*)\" \"((?:[^\"\\\\]|\\\\.)*)\";\\s*default \\$(\\w+);\\s*}");

    private static List<NginxMap> maps(String snippet) {
        List<NginxMap> maps = new ArrayList<>();
        Matcher matcher = MAP.matcher(snippet);
        while (matcher.find()) {
            assertThat(matcher.group(5)).as("the default of map $%s", matcher.group(2)).isEqualTo(matcher.group(1));
            String key = unquote(matcher.group(3));
            assertThat(key).as("a regex key").startsWith("~");
            Pattern regex = key.startsWith("~*")
                    ? Pattern.compile(key.substring(2), Pattern.CASE_INSENSITIVE)
                    : Pattern.compile(key.substring(1));
            maps.add(new NginxMap(matcher.group(1), matcher.group(2), regex, unquote(matcher.group(4))));
        }
        assertThat(snippet.split("(?m)^\\s*map ", -1)).as("every map in the snippet is understood")
                .hasSize(maps.size() + 1);
        return maps;
    }

    /** What nginx makes of a quoted string in its configuration. */
    private static String unquote(String quoted) {
        return quoted.replace("\\\"", "\"").replace("\\'", "'").replace("\\\\", "\\");
    }

    /** $membercard_log_uri of a request whose $request_uri is {@code uri}, evaluated as nginx evaluates maps. */
    private static String logUri(String snippet, String uri) {
        Map<String, String> variables = new HashMap<>();
        variables.put("request_uri", uri);
        for (NginxMap map : maps(snippet)) {
            String from = variables.get(map.from());
            assertThat(from).as("$%s is defined before map $%s", map.from(), map.to()).isNotNull();
            Matcher matcher = map.regex().matcher(from);
            variables.put(map.to(), matcher.find() ? expand(map.value(), matcher, variables) : from);
        }
        assertThat(variables).containsKey("membercard_log_uri");
        return variables.get("membercard_log_uri");
    }

    private static String expand(String value, Matcher captures, Map<String, String> variables) {
        Matcher reference = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)").matcher(value);
        StringBuilder expanded = new StringBuilder();
        while (reference.find()) {
            String name = reference.group(1) != null ? reference.group(1) : reference.group(2);
            String replacement = captures.pattern().pattern().contains("(?<" + name + ">")
                    ? captures.group(name)
                    : variables.get(name);
            reference.appendReplacement(expanded, Matcher.quoteReplacement(replacement == null ? "" : replacement));
        }
        reference.appendTail(expanded);
        return expanded.toString();
    }
}
