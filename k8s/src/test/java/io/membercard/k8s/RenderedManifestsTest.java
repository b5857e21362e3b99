package io.membercard.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/** The dev overlay, rendered offline and checked object by object; and the base kept equal to what Quarkus generates. */
class RenderedManifestsTest {
    private static final List<String> SERVICES = List.of("card-service", "member-service", "payment-service",
            "wechat-gateway", "settlement-service");
    private static List<HasMetadata> dev;

    @BeforeAll
    static void render() {
        dev = Manifests.render("overlays/dev");
    }

    private static <T extends HasMetadata> T one(Class<T> kind, String name) {
        List<T> found = dev.stream().filter(kind::isInstance).map(kind::cast)
                .filter(o -> o.getMetadata().getName().equals(name)).toList();
        assertThat(found).as("%s %s", kind.getSimpleName(), name).hasSize(1);
        return found.get(0);
    }

    private static <T extends HasMetadata> T onePrefixed(Class<T> kind, String prefix) {
        List<T> found = dev.stream().filter(kind::isInstance).map(kind::cast)
                .filter(o -> o.getMetadata().getName().startsWith(prefix + "-")).toList();
        assertThat(found).as("%s %s-<hash>", kind.getSimpleName(), prefix).hasSize(1);
        return found.get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"card-service", "member-service", "payment-service", "wechat-gateway",
            "settlement-service"})
    void eachServiceRunsWithProbesResourcesConfigAndSecrets(String name) {
        Deployment deployment = one(Deployment.class, name);
        PodTemplateSpec pod = deployment.getSpec().getTemplate();
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/path", "/q/metrics").containsEntry("prometheus.io/port", "8080");
        assertThat(pod.getSpec().getContainers()).hasSize(1);
        Container container = pod.getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("docker.io/membercard/" + name + ":0.1.0-SNAPSHOT");
        assertThat(container.getPorts()).singleElement()
                .satisfies(port -> assertThat(port.getContainerPort()).isEqualTo(8080));
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsKey("memory");

        String configMap = onePrefixed(ConfigMap.class, "membercard-config").getMetadata().getName();
        String secret = onePrefixed(Secret.class, "membercard-secrets").getMetadata().getName();
        assertThat(container.getEnvFrom()).extracting(EnvFromSource::getConfigMapRef).filteredOn(r -> r != null)
                .singleElement().satisfies(ref -> assertThat(ref.getName()).isEqualTo(configMap));
        assertThat(container.getEnvFrom()).extracting(EnvFromSource::getSecretRef).filteredOn(r -> r != null)
                .singleElement().satisfies(ref -> assertThat(ref.getName()).isEqualTo(secret));

        Service service = one(Service.class, name);
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getPort()).isEqualTo(80);
            assertThat(port.getTargetPort().getIntVal()).isEqualTo(8080);
        });
        assertThat(pod.getMetadata().getLabels()).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(deployment.getSpec().getSelector().getMatchLabels()).isEqualTo(service.getSpec().getSelector());
    }

    @Test
    void theServicesFindTheirDatabaseAndRedisInTheCluster() {
        ConfigMap config = onePrefixed(ConfigMap.class, "membercard-config");
        assertThat(config.getData()).containsEntry("MEMBERCARD_DB_HOST", "postgres")
                .containsEntry("MEMBERCARD_REDIS_HOST", "redis").containsEntry("MEMBERCARD_DB_NAME", "membercard");
        for (String service : SERVICES) {
            String variable = "MEMBERCARD_SERVICES_" + service.toUpperCase().replace('-', '_');
            assertThat(config.getData()).as(variable).containsEntry(variable, "http://" + service);
            assertThat(dev).as("Service %s", service).anyMatch(o -> o instanceof Service
                    && o.getMetadata().getName().equals(service));
        }
        Secret secret = onePrefixed(Secret.class, "membercard-secrets");
        assertThat(secret.getData()).containsKeys("QUARKUS_DATASOURCE_PASSWORD", "MEMBERCARD_CARD_SECRET_PEPPER",
                "MEMBERCARD_WECHAT_CREDENTIAL_KEYS",
                "MEMBERCARD_COMMON_SERVICE_KEY", "QUARKUS_OIDC_PUBLIC_KEY");

        StatefulSet postgres = one(StatefulSet.class, "postgres");
        Service postgresService = one(Service.class, "postgres");
        assertThat(postgres.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(postgresService.getSpec().getSelector());
        assertThat(postgresService.getSpec().getPorts().get(0).getPort()).isEqualTo(5432);
        assertThat(postgres.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(env -> {
                    assertThat(env.getName()).isEqualTo("POSTGRES_PASSWORD");
                    assertThat(env.getValueFrom().getSecretKeyRef().getName())
                            .isEqualTo(secret.getMetadata().getName());
                });

        Deployment redis = one(Deployment.class, "redis");
        Service redisService = one(Service.class, "redis");
        assertThat(redis.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(redisService.getSpec().getSelector());
        assertThat(redisService.getSpec().getPorts().get(0).getPort()).isEqualTo(6379);
    }

    @Test
    void theIngressRoutesTheContractsPrefixesLikeTheLocalGateway() throws IOException {
        Map<String, String> routes = localGatewayRoutes();
        assertThat(routes).hasSize(16);
        Ingress ingress = one(Ingress.class, "membercard");
        List<HTTPIngressPath> paths = ingress.getSpec().getRules().get(0).getHttp().getPaths();
        Map<String, String> ingressRoutes = new LinkedHashMap<>();
        for (HTTPIngressPath path : paths) {
            assertThat(path.getPathType()).isEqualTo("Prefix");
            assertThat(path.getBackend().getService().getPort().getName()).isEqualTo("http");
            ingressRoutes.put(path.getPath(), path.getBackend().getService().getName());
        }
        assertThat(ingressRoutes).containsExactlyInAnyOrderEntriesOf(routes);
        assertThat(ingressRoutes.values()).allSatisfy(owner -> assertThat(SERVICES).contains(owner));
        // Bodies are small, as through the local gateway; member files (up to 50 MB) have an Ingress of their own.
        assertThat(ingress.getMetadata().getAnnotations())
                .containsEntry("nginx.ingress.kubernetes.io/proxy-body-size", "1m");
        Ingress upload = one(Ingress.class, "membercard-upload");
        assertThat(upload.getMetadata().getAnnotations())
                .containsEntry("nginx.ingress.kubernetes.io/proxy-body-size", "64m");
        HTTPIngressPath file = upload.getSpec().getRules().get(0).getHttp().getPaths().get(0);
        assertThat(upload.getSpec().getRules().get(0).getHttp().getPaths()).hasSize(1);
        assertThat(file.getPath()).isEqualTo("/api/member/member/upload");
        assertThat(file.getPathType()).isEqualTo("Exact");
        assertThat(file.getBackend().getService().getName()).isEqualTo("member-service");
    }

    @Test
    void noSecretOrPersonalDataReachesALogOfTheCluster() {
        // PostgreSQL logs an error without its DETAIL (a unique violation's names the key: a phone) or statement.
        assertThat(one(StatefulSet.class, "postgres").getSpec().getTemplate().getSpec().getContainers().get(0)
                .getArgs()).containsSubsequence("-c", "log_error_verbosity=terse")
                .containsSubsequence("-c", "log_min_error_statement=panic");
        // No service writes an HTTP access log (it would hold query strings: mac=, keyword=), nor logs below INFO.
        ConfigMap config = onePrefixed(ConfigMap.class, "membercard-config");
        assertThat(config.getData().keySet()).noneMatch(key -> key.contains("ACCESS_LOG") || key.contains("LOG_LEVEL")
                || key.startsWith("QUARKUS_LOG_"));
        List<String> env = dev.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream())
                .filter(c -> c.getEnv() != null).flatMap(c -> c.getEnv().stream()).map(e -> e.getName()).toList();
        assertThat(env).noneMatch(name -> name.contains("ACCESS_LOG") || name.startsWith("QUARKUS_LOG_"));
        // The Ingresses' one snippet is their requests a second (RateLimitTest): nothing in it changes a log (their
        // controller's log settings: IngressControllerLogsTest).
        for (String name : List.of("membercard", "membercard-upload")) {
            Map<String, String> annotations = one(Ingress.class, name).getMetadata().getAnnotations();
            assertThat(annotations.keySet()).filteredOn(key -> key.endsWith("-snippet"))
                    .containsExactly("nginx.ingress.kubernetes.io/configuration-snippet");
            assertThat(annotations.get("nginx.ingress.kubernetes.io/configuration-snippet").lines())
                    .allMatch(line -> line.matches("limit_req zone=\\w+ burst=\\d+ nodelay;|error_page 429 @\\w+;"));
        }
    }

    @Test
    void everythingLivesInTheMembercardNamespace() {
        assertThat(one(Namespace.class, "membercard")).isNotNull();
        assertThat(dev).filteredOn(o -> !(o instanceof Namespace))
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).as(o.getMetadata().getName())
                        .isEqualTo("membercard"));
        assertThat(dev).noneMatch(o -> o.getKind().equals("Job") || o.getKind().equals("ServiceMonitor"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"card-service", "member-service", "payment-service", "wechat-gateway",
            "settlement-service"})
    void theBaseIsWhatQuarkusGenerates(String name) throws IOException {
        Path generated = Manifests.ROOT.resolve(name).resolve("target/kubernetes/kubernetes.yml");
        assertThat(generated).as("build %s first (mvn package)", name).exists();
        // Compared as objects: the generator does not keep the order of labels from one build to the next.
        assertThat(Manifests.parse(Files.readString(Manifests.K8S.resolve("base").resolve(name + ".yml"))))
                .as("k8s/base/%s.yml differs from what quarkus-kubernetes generates: run tools/k8s-sync", name)
                .isEqualTo(Manifests.parse(Files.readString(generated)));
    }

    @Test
    void theBaseRendersAlone() {
        List<HasMetadata> base = Manifests.render("base");
        assertThat(base).filteredOn(Deployment.class::isInstance).hasSize(5);
        assertThat(base).filteredOn(Service.class::isInstance).hasSize(5);
        assertThat(base).hasSize(10);
    }

    /** The prefix table of tools/dev's nginx gateway. */
    private static Map<String, String> localGatewayRoutes() throws IOException {
        String script = Files.readString(Manifests.ROOT.resolve("tools/dev"));
        Matcher matcher = Pattern.compile("(?m)^  \"(/api/[^ ]+) ([a-z-]+)\"$").matcher(script);
        Map<String, String> routes = new LinkedHashMap<>();
        while (matcher.find()) {
            routes.put(matcher.group(1), matcher.group(2));
        }
        return routes;
    }
}
