package io.rinpoche.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rinpoche.testing.Command;
import io.rinpoche.testing.RinpocheImages;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Secrets as files: the platform stack (the registry, its metrics proxy, the deploy service, Prometheus) and the
 * staging environment, started by `./platform`'s own functions (sourced) under a prefix and state directory of
 * their own. No container shows a secret in `docker inspect`, yet every service reads its own; the registry's
 * /debug/vars (which shows the hook token) is out of reach of the network, while Prometheus still scrapes its metrics.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformSecretsIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> SERVICES = List.of("registry", "registry-metrics", "socket-proxy", "deploy-service",
            "prometheus");

    private static String prefix;
    private static Path stateDir;
    private static Map<String, String> env;
    private static Command up;

    @BeforeAll
    static void up() throws IOException {
        prefix = "rinpoche-sec-" + UUID.randomUUID().toString().substring(0, 8);
        stateDir = Files.createTempDirectory("rinpoche-secrets");
        env = Map.of("RINPOCHE_STATE_DIR", stateDir.toString(), "RINPOCHE_PROJECT_PREFIX", prefix,
                "DEPLOY_PORT", String.valueOf(freePort()), "REGISTRY_PORT", String.valueOf(freePort()),
                "PROMETHEUS_PORT", String.valueOf(freePort()), "STAGING_PORT", String.valueOf(freePort()));
        up = platform(Duration.ofMinutes(10), "ensure_secrets && generate_apps && stack_compose platform up -d --wait "
                + "--wait-timeout 300 " + String.join(" ", SERVICES) + " && up_environment staging");
    }

    @AfterAll
    static void down() throws IOException {
        if (stateDir != null) {
            platform(Duration.ofMinutes(3), "stack_compose staging down --volumes --remove-orphans; "
                    + "stack_compose platform down --volumes --remove-orphans");
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void noContainerShowsASecretInDockerInspect() throws IOException {
        assertThat(up.exitCode()).as(up.output()).isZero();
        List<String> containers = docker("ps", "-q", "--filter", "label=com.docker.compose.project=" + prefix + "-platform").output()
                .lines().toList();
        List<String> staging = docker("ps", "-q", "--filter", "label=com.docker.compose.project=" + prefix + "-staging").output()
                .lines().toList();
        assertThat(containers).hasSize(SERVICES.size());
        assertThat(staging).hasSize(7);   // nginx, mysql, redis, three exporters, hello-django
        for (String id : Stream.concat(containers.stream(), staging.stream()).toList()) {
            String inspect = docker("inspect", id).output();
            secrets().forEach((name, value) ->
                    assertThat(inspect).as("docker inspect of %s shows %s", id, name).doesNotContain(value));
        }
        assertThat(docker("inspect", container("deploy-service")).output()).contains("/run/secrets/ADMIN_TOKEN");
    }

    /** Each service of the environment read its password: the app reaches MariaDB and Redis, the exporters too. */
    @Test
    @Order(1)
    void theEnvironmentReadsItsSecretsFromTheFiles() throws Exception {
        assertThat(up.exitCode()).as(up.output()).isZero();
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.get("STAGING_PORT")
                + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).containsPattern("\"db\":\\s*\"ok\"").containsPattern("\"cache\":\\s*\"ok\"");
        assertThat(docker("exec", prefix + "-staging-hello-django-1", "stat", "-c", "%u %a", "/run/secrets/HELLO_DJANGO_SECRET_KEY")
                .output().strip()).isEqualTo("10001 400");
        for (String query : List.of("mysql_up", "redis_up")) {
            URI uri = URI.create("http://127.0.0.1:" + env.get("PROMETHEUS_PORT") + "/api/v1/query?query=" + query);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(3)).untilAsserted(() ->
                    assertThat(HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body())
                            .contains("\"environment\":\"staging\"").contains(",\"1\"]"));
        }
    }

    /** The files reached the services: the admin API takes ADMIN_TOKEN, the registry sends HOOK_TOKEN. */
    @Test
    @Order(1)
    void theServicesReadTheirSecretsFromTheFiles() throws Exception {
        assertThat(up.exitCode()).as(up.output()).isZero();
        HttpResponse<String> api = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.get("DEPLOY_PORT")
                + "/api/environments")).header("Authorization", "Bearer " + secrets().get("ADMIN_TOKEN")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).as(api.body()).isEqualTo(200);
        // From inside the registry's own namespace (its loopback), where its debug server listens.
        Command vars = docker("exec", container("registry"), "bash", "-c",
                "exec 3<>/dev/tcp/127.0.0.1/5001 && printf 'GET /debug/vars HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3");
        assertThat(vars.output()).contains("Bearer " + secrets().get("HOOK_TOKEN"));
        for (String service : List.of("registry", "deploy-service")) {
            assertThat(docker("exec", container(service), "sh", "-c", "stat -c '%u %a' /run/secrets/HOOK_TOKEN").output().strip())
                    .isEqualTo("10002 400");
        }
    }

    @Test
    @Order(1)
    void theRegistryDebugServerIsOutOfReachButPrometheusScrapesItsMetrics() throws Exception {
        assertThat(up.exitCode()).as(up.output()).isZero();
        String network = prefix + "-platform_default";
        Command debug = onNetwork(network, "exec 3<>/dev/tcp/registry/5001 && echo open");
        assertThat(debug.output()).doesNotContain("open");
        assertThat(debug.exitCode()).isNotZero();
        Command vars = onNetwork(network, "exec 3<>/dev/tcp/registry/5002 && printf 'GET /debug/vars HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3");
        assertThat(vars.output()).startsWith("HTTP/1.1 404").doesNotContain(secrets().get("HOOK_TOKEN"));
        Command metrics = onNetwork(network, "exec 3<>/dev/tcp/registry/5002 && printf 'GET /metrics HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3");
        assertThat(metrics.output()).startsWith("HTTP/1.1 200").contains("go_goroutines").doesNotContain(secrets().get("HOOK_TOKEN"));

        URI up = URI.create("http://127.0.0.1:" + env.get("PROMETHEUS_PORT") + "/api/v1/query?query=up%7Bjob%3D%22registry%22%7D");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(3)).untilAsserted(() ->
                assertThat(HTTP.send(HttpRequest.newBuilder(up).build(), HttpResponse.BodyHandlers.ofString()).body())
                        .contains("\"job\":\"registry\"").contains(",\"1\"]"));
    }

    /** registry-metrics shares the registry's network namespace: a restart of the registry gives it a new one. */
    @Test
    @Order(2)
    void theMetricsComeBackAfterTheRegistryRestarts() {
        assertThat(up.exitCode()).as(up.output()).isZero();
        docker("restart", container("registry"));

        String network = prefix + "-platform_default";
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(onNetwork(network, "exec 3<>/dev/tcp/registry/5002 && printf 'GET /metrics HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3")
                        .output()).startsWith("HTTP/1.1 200").contains("go_goroutines"));
    }

    /** A shell in a fresh container on {@code network}, as anything on the platform's network would be. */
    private static Command onNetwork(String network, String script) {
        return docker("run", "--rm", "--network", network, "--entrypoint", "bash",
                RinpocheImages.image("registry").asCanonicalNameString(), "-c", "timeout 10 bash -c \"$0\"", script);
    }

    private static String container(String service) {
        return prefix + "-platform-" + service + "-1";
    }

    private static Command docker(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        return Command.run(Duration.ofMinutes(1), Map.of(), argv);
    }

    /** Runs {@code script} after sourcing ./platform, so its functions run as `up` runs them. */
    private static Command platform(Duration timeout, String script) {
        return Command.run(timeout, env, List.of("bash", "-c", "source \"$1\" && " + script, "platform",
                RinpocheImages.root().resolve("platform").toString()));
    }

    private static Map<String, String> secrets() throws IOException {
        Map<String, String> secrets = new HashMap<>();
        for (String line : Files.readAllLines(stateDir.resolve("secrets.env"))) {
            secrets.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
        return secrets;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
