package io.rinpoche.socketproxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.testing.Command;
import io.rinpoche.testing.RinpocheImages;
import io.rinpoche.testing.SocketProxy;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * rinpoche/socket-proxy in front of the real engine: the calls of the compose and swarm engines pass, everything else
 * is a 403 with its reason, and nothing a refused call asked for exists afterwards.
 */
class SocketProxyIT {

    private static final String RUN = "spx" + UUID.randomUUID().toString().substring(0, 8);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Path allowed;
    private static Path secret;
    private static SocketProxy proxy;
    private static String image;

    @BeforeAll
    static void start() throws IOException {
        allowed = Files.createTempDirectory("rinpoche-socket-proxy-");
        secret = Files.writeString(allowed.resolve("SECRET"), "from-the-allowed-directory");
        proxy = SocketProxy.start(allowed);
        // An image the engine has: the proxy's own, run with `sleep` instead of its entrypoint.
        image = RinpocheImages.image("socket-proxy").asCanonicalNameString();
    }

    @AfterAll
    static void stop() throws IOException {
        try (SocketProxy closed = proxy) {
            Command.run(Duration.ofMinutes(1), Map.of(), List.of("docker", "rm", "-f", RUN + "-allowed", RUN + "-refused"));
            Command.run(Duration.ofMinutes(1), Map.of(), List.of("docker", "network", "rm", RUN + "-net"));
            Command.run(Duration.ofMinutes(1), Map.of(), List.of("docker", "volume", "rm", RUN + "-data"));
            Files.deleteIfExists(secret);
            Files.deleteIfExists(allowed);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            POST | /v1.45/containers/socket-proxy/exec | is not an allowed call
            POST | /v1.45/exec/0123456789ab/start      | is not an allowed call
            POST | /build                              | is not an allowed call
            POST | /v1.45/volumes/create               | is not an allowed call
            GET  | /volumes                            | is not an allowed call
            POST | /v1.45/swarm/init                   | is not an allowed call
            POST | /services/create                    | is not an allowed call
            DELETE | /services/x                         | is not an allowed call
            POST | /swarm/leave                        | is not an allowed call
            GET  | /info                               | is not an allowed call
            GET  | /system/df                          | is not an allowed call
            GET  | /events                             | is not an allowed call
            GET  | /plugins                            | is not an allowed call
            POST | /secrets/create                     | is not an allowed call
            POST | /configs/create                     | is not an allowed call
            POST | /networks/create                    | is not an allowed call
            POST | /containers/x/attach                | is not an allowed call
            PUT  | /containers/x/archive               | is not an allowed call
            POST | /containers/x/pause                 | is not an allowed call
            POST | /commit                             | is not an allowed call
            GET  | /v1.45/%63ontainers/json            | the path is not plain
            GET  | /containers/../info                 | the path is not plain
            POST | /images/create?fromSrc=-            | image imports (fromSrc) are refused
            """)
    void callsOutsideTheAllowListAreRefused(String method, String path, String reason) throws Exception {
        HttpResponse<String> response = send(method, path, null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(response.body()).startsWith("{\"message\":\"socket proxy: ").contains(reason);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            privileged         | "HostConfig":{"Privileged":true}                                     | privileged containers are refused
            privileged, case   | "hostconfig":{"PRIVILEGED" : true}                                   | privileged containers are refused
            escaped name       | "HostConfig":{"Privil\\u0065ged":true}                               | \\\\u escapes are refused
            capability         | "HostConfig":{"CapAdd":["SYS_ADMIN"]}                                | added capabilities are refused
            device             | "HostConfig":{"Devices":[{"PathOnHost":"/dev/mem","PathInContainer":"/dev/mem"}]} | host devices are refused
            host network       | "HostConfig":{"NetworkMode":"host"}                                  | namespaces are refused
            host pid           | "HostConfig":{"PidMode":"host"}                                      | namespaces are refused
            host ipc           | "HostConfig":{"IpcMode":"host"}                                      | namespaces are refused
            host endpoint      | "NetworkingConfig":{"EndpointsConfig":{"host":{}}}                   | the host network is refused
            seccomp            | "HostConfig":{"SecurityOpt":["no-new-privileges","seccomp=unconfined"]} | security options
            unmasked /proc     | "HostConfig":{"MaskedPaths":[],"ReadonlyPaths":[]}                  | masked and read-only
            volumes of another | "HostConfig":{"VolumesFrom":["socket-proxy"]}                        | volumes of another container
            bind outside       | "HostConfig":{"Binds":["/etc:/host-etc:ro"]}                         | host paths in binds are refused
            bind read-write    | "HostConfig":{"Binds":["@ALLOWED@/SECRET:/s"]}                       | host paths in binds are refused
            bind via ..        | "HostConfig":{"Binds":["@ALLOWED@/../../etc:/s:ro"]}                 | in a path is refused
            escaped slash      | "HostConfig":{"Binds":["\\/etc:/s:ro"]}                              | escaped slashes are refused
            long s             | "HostConfig":{"Bind\u017f":["/:/host"]}                              | U+017F
            mount outside      | "HostConfig":{"Mounts":[{"Type":"bind","Source":"/","Target":"/host","ReadOnly":true}]} | bind mounts are refused
            mount read-write   | "HostConfig":{"Mounts":[{"Type":"bind","Source":"@ALLOWED@/SECRET","Target":"/s"}]} | bind mounts are refused
            mount twice        | "HostConfig":{"Mounts":[{"Type":"bind","Source":"@ALLOWED@/SECRET","Target":"/s","ReadOnly":true,"Source":"/"}]} | bind mounts are refused
            volume as bind     | "HostConfig":{"Mounts":[{"Type":"volume","Source":"v","Target":"/v","VolumeOptions":{"DriverConfig":{"Name":"local","Options":{"o":"bind","device":"/"}}}}]} | volume driver options
            """)
    void createsThatReachForTheHostAreRefused(String what, String fields, String reason) throws Exception {
        String name = RUN + "-refused";
        String body = "{\"Image\":\"" + image + "\"," + fields.replace("@ALLOWED@", allowed.toString()) + "}";

        HttpResponse<String> response = send("POST", "/v1.45/containers/create?name=" + name, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(response.body()).startsWith("{\"message\":\"socket proxy: container create: ").contains(reason);
        assertThat(Command.docker("ps", "-aq", "--filter", "name=" + name)).as("containers made").isEmpty();
    }

    @Test
    void aCreateBodyTooBigToCheckWholeIsRefused() throws Exception {
        String body = "{\"Image\":\"" + image + "\",\"Env\":[\"PAD=" + "x".repeat(70_000)
                + "\"],\"HostConfig\":{\"Privileged\":true}}";

        HttpResponse<String> response = send("POST", "/containers/create", body);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("at most 64 KiB");
    }

    /**
     * The compose engine's calls, in a rollout's order, on a container with a read-only bind of an allowed file; an
     * update's body is checked as a create's.
     */
    @Test
    void theComposeEnginesCallsPass() throws Exception {
        Command.docker("network", "create", RUN + "-net");
        String name = RUN + "-allowed";
        String body = "{\"Image\":\"" + image + "\",\"Entrypoint\":[\"sleep\"],\"Cmd\":[\"60\"],\"Labels\":{\"test\":\"" + RUN
                + "\"},\"HostConfig\":{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"" + secret + "\",\"Target\":\"/run/secrets/s\","
                + "\"ReadOnly\":true}],\"Binds\":[\"" + secret + ":/run/bound:ro\",\"" + RUN + "-data:/data\"],"
                + "\"RestartPolicy\":{\"Name\":\"no\"},\"SecurityOpt\":[\"no-new-privileges\"]}}";

        assertPasses("GET", "/_ping", null, 200);
        assertPasses("GET", "/v1.45/version", null, 200);
        assertPasses("GET", "/v1.45/images/" + image + "/json", null, 200);
        assertPasses("POST", "/v1.45/containers/create?name=" + name, body, 201);
        assertPasses("POST", "/v1.45/networks/" + RUN + "-net/connect", "{\"Container\":\"" + name + "\"}", 200);
        assertPasses("POST", "/v1.45/containers/" + name + "/start", null, 204);
        assertPasses("GET", "/v1.45/containers/json?all=1&filters="
                + URLEncoder.encode("{\"label\":[\"test=" + RUN + "\"]}", StandardCharsets.UTF_8), null, 200);
        assertThat(send("GET", "/v1.45/containers/" + name + "/archive?path=%2Frun%2Fsecrets%2Fs", null).body())
                .as("the bound file, read through the proxy as a tar").contains("from-the-allowed-directory");
        assertPasses("GET", "/v1.45/containers/" + name + "/logs?stdout=1&stderr=1&tail=20", null, 200);
        assertPasses("POST", "/v1.45/containers/" + name + "/update", "{\"RestartPolicy\":{\"Name\":\"unless-stopped\"}}", 200);
        assertPasses("GET", "/v1.45/containers/" + name + "/top", null, 200);
        HttpResponse<String> update = send("POST", "/v1.45/containers/" + name + "/update", "{\"CgroupParent\":\"/\"}");
        assertThat(update.statusCode()).isEqualTo(403);
        assertThat(update.body()).contains("container update: a cgroup parent is refused");
        assertPasses("POST", "/v1.45/containers/" + name + "/kill?signal=HUP", null, 204);
        assertPasses("POST", "/v1.45/containers/" + name + "/stop?t=1", null, 204);
        assertPasses("DELETE", "/v1.45/containers/" + name + "?force=true", null, 204);
        // A pull the proxy passes: the engine itself answers that nothing listens there.
        HttpResponse<String> pull = send("POST", "/v1.45/images/create?fromImage=127.0.0.1:1/none&tag=v1", null);
        assertThat(pull.statusCode()).as(pull.body()).isNotEqualTo(403);
        assertThat(pull.body()).doesNotContain("socket proxy");
        assertThat(proxy.refusals()).filteredOn(line -> line.contains(name)).as("refused besides the cgroup parent")
                .singleElement().asString().contains("/update");
    }

    /**
     * The swarm engine's calls pass, and the engine answers them (this host's engine is no swarm manager: 503); a
     * service update's body, a task spec as {@code docker service inspect} shows it, is checked like a create's.
     */
    @Test
    void theSwarmEnginesCallsPass() throws Exception {
        String spec;
        try (var in = SocketProxyIT.class.getResourceAsStream("/swarm-service-spec.json")) {
            spec = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        String filters = "?filters=" + URLEncoder.encode("{\"label\":[\"com.docker.stack.namespace=x\"]}", StandardCharsets.UTF_8);
        for (String path : List.of("/v1.45/services" + filters, "/v1.45/services/" + RUN, "/v1.45/tasks" + filters,
                "/v1.45/tasks/" + RUN + "/logs?stdout=1&stderr=1&tail=20", "/v1.45/nodes/" + RUN)) {
            assertAnswered("GET", path, null);
        }
        assertAnswered("POST", "/v1.45/services/" + RUN + "/update?version=1", spec);
        assertAnswered("POST", "/v1.45/services/" + RUN + "/update?version=1&rollback=previous", spec);
        HttpResponse<String> lookup = send("GET", "/v1.45/distribution/127.0.0.1:1/none:v1/json", null);
        assertThat(lookup.body()).as("the engine's answer").doesNotContain("socket proxy");

        String task = "\"ContainerSpec\":{";
        for (String[] refused : List.of(
                new String[] {"\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/\",\"Target\":\"/host\"}],", "bind mounts are refused"},
                new String[] {"\"CapabilityAdd\":[\"CAP_SYS_ADMIN\"],", "added capabilities are refused"},
                new String[] {"\"Privileges\":{\"Seccomp\":{\"Mode\":\"unconfined\"}},", "seccomp and AppArmor profiles"})) {
            HttpResponse<String> update = send("POST", "/v1.45/services/" + RUN + "/update?version=1",
                    spec.replace(task, task + refused[0]));
            assertThat(update.statusCode()).as(update.body()).isEqualTo(403);
            assertThat(update.body()).contains("service update: " + refused[1]);
        }
        HttpResponse<String> host = send("POST", "/v1.45/services/" + RUN + "/update?version=1",
                spec.replaceFirst("\"Target\":\"[a-z0-9]+\"", "\"Target\":\"host\""));
        assertThat(host.body()).contains("service update: the host network is refused");
    }

    @Test
    void haproxyRunsWithoutRoot() {
        List<String> processes = Command.docker("top", proxy.name(), "-o", "pid,uid,comm");

        assertThat(processes).filteredOn(line -> line.endsWith("haproxy")).singleElement().asString()
                .matches("\\s*[0-9]+\\s+[1-9][0-9]*\\s+haproxy");
    }

    @Test
    void aBindDirectoryThatIsNoPlainPathStopsTheStart() {
        Command run = Command.run(Duration.ofMinutes(1), Map.of(), List.of("docker", "run", "--rm",
                "-e", "BIND_DIRECTORIES=/ok relative/dir", "-v", "/var/run/docker.sock:/var/run/docker.sock", image));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains("BIND_DIRECTORIES: 'relative/dir' is not an absolute, normalized path");
    }

    @Test
    void withoutTheSocketItDoesNotStart() {
        Command run = Command.run(Duration.ofMinutes(1), Map.of(), List.of("docker", "run", "--rm", image));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains("DOCKER_SOCKET=/var/run/docker.sock is not a socket");
    }

    private static void assertPasses(String method, String path, String body, int status) throws Exception {
        HttpResponse<String> response = send(method, path, body);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
    }

    // Passed by the proxy, answered by the engine (which is no swarm manager, or has no such object).
    private static void assertAnswered(String method, String path, String body) throws Exception {
        HttpResponse<String> response = send(method, path, body);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isIn(200, 404, 503);
        assertThat(response.body()).doesNotContain("socket proxy");
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(proxy.url() + path)).method(method, publisher)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
