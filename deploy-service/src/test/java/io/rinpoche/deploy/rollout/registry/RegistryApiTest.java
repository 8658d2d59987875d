package io.rinpoche.deploy.rollout.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.rinpoche.deploy.model.Digest;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.rollout.RolloutException;
import io.rinpoche.deploy.rollout.TransientRolloutException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registry client against an in-JVM server speaking the token flow of Docker Hub, GHCR and Harbor, which cannot
 * run here (rinpoche/registry, with Basic authentication, is asked for real in {@code DesiredStateIT}).
 */
class RegistryApiTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final String MANIFEST = "{\"schemaVersion\":2}";
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String start(boolean digestHeader, int manifestStatus) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String host = "127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/token", exchange -> {
            seen.add("token " + exchange.getRequestURI().getQuery() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"token\":\"t0k3n\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/v2/", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + auth + " "
                    + exchange.getRequestHeaders().getFirst("Accept"));
            if (!"Bearer t0k3n".equals(auth)) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://" + host
                        + "/token\",service=\"registry.test\",scope=\"repository:team/app:pull\"");
                exchange.sendResponseHeaders(401, -1);
            } else if (manifestStatus != 200) {
                exchange.sendResponseHeaders(manifestStatus, -1);
            } else {
                if (digestHeader) {
                    exchange.getResponseHeaders().add("Docker-Content-Digest", DIGEST);
                }
                byte[] body = MANIFEST.getBytes(StandardCharsets.UTF_8);
                boolean head = exchange.getRequestMethod().equals("HEAD");
                exchange.sendResponseHeaders(200, head ? -1 : body.length);
                if (!head) {
                    exchange.getResponseBody().write(body);
                }
            }
            exchange.close();
        });
        server.start();
        return host;
    }

    private static RegistryApi api(String host) {
        return new RegistryApi(new RegistryLogin(host, "ci", "s3cret-password-x", null), Duration.ofSeconds(5));
    }

    @Test
    void aBearerChallengeIsAnsweredWithATokenForTheRepository() throws Exception {
        String host = start(true, 200);

        Digest digest = api(host).digest(ImageRef.parse(host + "/team/app:1.2.0"));

        assertThat(digest.value()).isEqualTo(DIGEST);
        assertThat(seen).hasSize(3);
        assertThat(seen.get(0)).startsWith("HEAD /v2/team/app/manifests/1.2.0 Basic ").contains(RegistryApi.ACCEPT);
        assertThat(seen.get(1)).isEqualTo("token service=registry.test&scope=repository:team/app:pull Basic "
                + java.util.Base64.getEncoder().encodeToString("ci:s3cret-password-x".getBytes(StandardCharsets.UTF_8)));
        assertThat(seen.get(2)).startsWith("HEAD /v2/team/app/manifests/1.2.0 Bearer t0k3n ");
    }

    @Test
    void withoutADigestHeaderTheManifestIsHashed() throws Exception {
        String host = start(false, 200);

        Digest digest = api(host).digest(ImageRef.parse(host + "/team/app:1.2.0"));

        assertThat(digest.value()).isEqualTo("sha256:" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(MANIFEST.getBytes(StandardCharsets.UTF_8))));
        assertThat(seen).last().asString().startsWith("GET ");
    }

    @Test
    void anUnknownTagIsARefusalAndAFailingRegistryMayPass() throws Exception {
        String host = start(true, 404);
        assertThatThrownBy(() -> api(host).digest(ImageRef.parse(host + "/team/app:nope")))
                .isExactlyInstanceOf(RolloutException.class)
                .hasMessage("the registry " + host + " does not know team/app:nope");
        stop();

        String failing = start(true, 503);
        assertThatThrownBy(() -> api(failing).digest(ImageRef.parse(failing + "/team/app:1")))
                .isInstanceOf(TransientRolloutException.class).hasMessageContaining("HTTP 503");
    }

    @Test
    void anUnreachableRegistryMayPass() {
        assertThatThrownBy(() -> api("127.0.0.1:9").digest(ImageRef.parse("127.0.0.1:9/team/app:1")))
                .isInstanceOf(TransientRolloutException.class).hasMessageContaining("cannot reach the registry 127.0.0.1:9");
    }

    @Test
    void theConfiguredApiUrlIsUsedForTheEnginesRegistry() throws Exception {
        String host = start(true, 200);
        RegistryApi api = new RegistryApi(new RegistryLogin("127.0.0.1:5000", "ci", "s3cret-password-x",
                URI.create("http://" + host)), Duration.ofSeconds(5));

        assertThat(api.digest(ImageRef.parse("127.0.0.1:5000/team/app:1.2.0")).value()).isEqualTo(DIGEST);
    }
}
