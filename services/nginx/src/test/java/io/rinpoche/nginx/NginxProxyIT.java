package io.rinpoche.nginx;

import static io.rinpoche.nginx.NginxContainers.backend;
import static io.rinpoche.nginx.NginxContainers.ipOn;
import static io.rinpoche.nginx.NginxContainers.proxy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.Transferable;

/** rinpoche/nginx in front of app stand-ins on a Docker network: headers, gzip, static files, and following the app's containers. */
class NginxProxyIT {

    private static final Duration FEW_SECONDS = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(200);

    @Test
    void proxiesToTheAppWithForwardedHeadersSecurityHeadersAndGzip() {
        try (Network network = Network.newNetwork();
                GenericContainer<?> app = backend(network, "a", "app");
                GenericContainer<?> proxy = proxy(network)) {
            app.start();
            proxy.start();

            Http.Reply reply = Http.get(proxy, "/some/page?x=1", "X-Forwarded-For", "203.0.113.9", "Accept-Encoding", "gzip");

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.header("Content-Encoding")).isEqualTo("gzip");
            String clientHost = proxy.getHost() + ":" + proxy.getMappedPort(80);
            String clientIp = line(reply.body(), "x-real-ip");
            assertThat(clientIp).isNotEmpty();
            assertThat(reply.body())
                    .startsWith("backend=a\n")
                    .contains("\nhost=" + clientHost + "\n")
                    .contains("\nx-forwarded-host=" + clientHost + "\n")
                    .contains("\nx-forwarded-for=203.0.113.9, " + clientIp + "\n")
                    .contains("\nx-forwarded-proto=http\n")
                    // The client's hop-by-hop Connection header stops at the proxy.
                    .contains("\nconnection=\n");
            assertThat(reply.header("X-Frame-Options")).isEqualTo("SAMEORIGIN");
            assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(reply.header("Referrer-Policy")).isEqualTo("strict-origin-when-cross-origin");
            assertThat(reply.header("Server")).isEqualTo("nginx");
            // No CONTENT_SECURITY_POLICY set: no header rather than an empty one.
            assertThat(reply.headers().firstValue("Content-Security-Policy")).isEmpty();

            // The app's own, stricter value stays, and alone.
            Http.Reply denied = Http.get(proxy, "/deny-frames");
            assertThat(denied.headers().allValues("X-Frame-Options")).containsExactly("DENY");
        }
    }

    @Test
    void followsTheAppToAReplacementContainerWithANewAddressWithoutReload() {
        try (Network network = Network.newNetwork();
                GenericContainer<?> first = backend(network, "first", "app");
                GenericContainer<?> filler = backend(network, "filler", "filler");
                GenericContainer<?> second = backend(network, "second", "app");
                GenericContainer<?> proxy = proxy(network)) {
            first.start();
            proxy.start();
            assertThat(Http.get(proxy, "/").body()).startsWith("backend=first\n");
            String firstIp = ipOn(first, network);

            first.stop();
            // Docker hands out the lowest free address, so a replacement started now would get the
            // old one back and prove nothing; the filler takes it, as any other container could.
            filler.start();
            second.start();
            assertThat(ipOn(second, network)).isNotEqualTo(firstIp);

            // The same nginx process, neither restarted nor reloaded, finds the new container.
            await().atMost(FEW_SECONDS).pollInterval(POLL)
                    .until(() -> Http.get(proxy, "/").body().startsWith("backend=second\n"));
            for (int i = 0; i < 5; i++) {
                assertThat(Http.get(proxy, "/").body()).startsWith("backend=second\n");
            }
        }
    }

    @Test
    void spreadsRequestsOverEveryContainerAnsweringToTheAlias() {
        try (Network network = Network.newNetwork();
                GenericContainer<?> one = backend(network, "one", "app");
                GenericContainer<?> two = backend(network, "two", "app");
                GenericContainer<?> proxy = proxy(network)) {
            one.start();
            two.start();
            proxy.start();

            Set<String> answered = new HashSet<>();
            await().atMost(FEW_SECONDS).pollInterval(Duration.ofMillis(50)).until(() -> {
                answered.add(line(Http.get(proxy, "/").body(), "backend"));
                return answered.containsAll(Set.of("one", "two"));
            });
            assertThat(answered).containsExactlyInAnyOrder("one", "two");
        }
    }

    @Test
    void answersBadGatewayPromptlyOnceTheAppIsGone() {
        try (Network network = Network.newNetwork();
                GenericContainer<?> app = backend(network, "a", "app");
                GenericContainer<?> proxy = proxy(network)) {
            app.start();
            proxy.start();
            assertThat(Http.get(proxy, "/").status()).isEqualTo(200);

            app.stop();

            // Each request must come back within Http.TIMEOUT (else it throws and fails the test):
            // at first the cached address may time out on connect, then the name no longer resolves.
            await().atMost(FEW_SECONDS).pollInterval(POLL).until(() -> Http.get(proxy, "/").status() == 502);
            for (int i = 0; i < 3; i++) {
                assertThat(Http.get(proxy, "/").status()).isEqualTo(502);
            }
            assertThat(Http.get(proxy, "/nginx-health").status()).isEqualTo(200);
        }
    }

    @Test
    void servesStaticFilesFromStaticRootAndAsksTheAppForTheOthers() {
        String css = "body { color: #333; }\n".repeat(40);
        try (Network network = Network.newNetwork();
                GenericContainer<?> app = backend(network, "a", "app");
                GenericContainer<?> proxy = proxy(network)
                        .withEnv("STATIC_ROOT", "/data/static")
                        .withCopyToContainer(Transferable.of(css), "/data/static/css/site.css")
                        .withCopyToContainer(Transferable.of(css), "/data/static/css/site.0123456789ab.css")) {
            app.start();
            proxy.start();

            Http.Reply plain = Http.get(proxy, "/static/css/site.css");
            assertThat(plain.status()).isEqualTo(200);
            assertThat(plain.body()).isEqualTo(css);
            assertThat(plain.header("Content-Type")).isEqualTo("text/css");
            assertThat(plain.header("Cache-Control")).isEqualTo("max-age=86400");
            assertThat(plain.header("X-Content-Type-Options")).isEqualTo("nosniff");

            Http.Reply gzipped = Http.get(proxy, "/static/css/site.css", "Accept-Encoding", "gzip");
            assertThat(gzipped.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(gzipped.body()).isEqualTo(css);

            // A content-hashed name (Django's ManifestStaticFilesStorage) never changes: cached for good.
            Http.Reply hashed = Http.get(proxy, "/static/css/site.0123456789ab.css");
            assertThat(hashed.body()).isEqualTo(css);
            assertThat(hashed.header("Cache-Control")).isEqualTo("max-age=315360000");

            // Not in STATIC_ROOT (collectstatic not run yet): the app answers, as WhiteNoise would.
            Http.Reply missing = Http.get(proxy, "/static/css/not-collected.css");
            assertThat(missing.status()).isEqualTo(200);
            assertThat(missing.body()).startsWith("backend=a\n");
            assertThat(missing.headers().firstValue("Cache-Control")).isEmpty();
        }
    }

    /** The value of {@code name=value} in the stand-in's reply. */
    private static String line(String body, String name) {
        return body.lines()
                .filter(l -> l.startsWith(name + "="))
                .map(l -> l.substring(name.length() + 1))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + "= in reply:\n" + body));
    }
}
