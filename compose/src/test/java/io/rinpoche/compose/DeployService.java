package io.rinpoche.compose;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The live deploy service as a client sees it on 127.0.0.1: its registry hook, its metrics, its dashboard. */
final class DeployService {

    // Never follows redirects, so a test sees the dashboard's redirect to the sign-in page itself.
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    // One line of /actuator/prometheus, e.g. rinpoche_hooks_total{outcome="unauthorized",source="registry"} 1.0
    private static final Pattern SAMPLE = Pattern.compile("(?m)^(\\w+)\\{([^}]*)} (\\S+)$");

    private final URI base;

    DeployService(int port) {
        this.base = URI.create("http://127.0.0.1:" + port + "/");
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    /**
     * POSTs a registry notification (CNCF distribution's envelope, as the registry sends it) of a push of
     * {@code repository:tag} with {@code Authorization: Bearer <token>}; returns the answer.
     */
    HttpResponse<String> registryHook(String token, String repository, String tag) throws IOException, InterruptedException {
        String envelope = """
                {"events": [{"id": "it-%s", "timestamp": "2025-01-01T00:00:00Z", "action": "push",
                  "target": {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 1234,
                    "digest": "sha256:%s", "repository": "%s", "tag": "%s"},
                  "request": {"host": "127.0.0.1:5000", "method": "PUT"}}]}
                """.formatted(tag, "ab".repeat(32), repository, tag);
        return HTTP.send(HttpRequest.newBuilder(uri("hooks/registry"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/vnd.docker.distribution.events.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(envelope)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of rinpoche_hooks_total for {@code source} and {@code outcome}; 0 before the first such request. */
    double hooks(String source, String outcome) throws IOException, InterruptedException {
        HttpResponse<String> metrics = get("actuator/prometheus");
        if (metrics.statusCode() != 200) {
            throw new AssertionError("GET /actuator/prometheus answered " + metrics.statusCode());
        }
        Matcher sample = SAMPLE.matcher(metrics.body());
        while (sample.find()) {
            if (sample.group(1).equals("rinpoche_hooks_total") && sample.group(2).contains("source=\"" + source + "\"")
                    && sample.group(2).contains("outcome=\"" + outcome + "\"")) {
                return Double.parseDouble(sample.group(3));
            }
        }
        return 0;
    }

    /** A dashboard session: signed in with the admin token, it GETs the page as a browser would, without drawing it. */
    final class Session {
        private final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(5)).build();

        private Session(String adminToken) throws IOException, InterruptedException {
            HttpResponse<String> login = client.send(HttpRequest.newBuilder(uri("login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(adminToken, StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (login.statusCode() != 302 || !login.headers().firstValue("Location").orElse("").endsWith("/")) {
                throw new AssertionError("sign-in answered " + login.statusCode() + ": " + login.body());
            }
        }

        /** The dashboard's HTML. */
        String page() throws IOException, InterruptedException {
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(base).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (page.statusCode() != 200) {
                throw new AssertionError("GET / answered " + page.statusCode());
            }
            return page.body();
        }
    }

    Session signIn(String adminToken) throws IOException, InterruptedException {
        return new Session(adminToken);
    }

    /** A GET without a session cookie or token, redirects not followed. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
