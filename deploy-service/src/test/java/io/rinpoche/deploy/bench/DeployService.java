package io.rinpoche.deploy.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A running deploy service as the registry and an operator see it: hooks, the admin API and its metrics. */
final class DeployService {

    static final JsonMapper JSON = JsonMapper.shared();
    // What distribution 2.x sends (notifications/sinks.go); 3.x sends ...v2+json, accepted the same.
    private static final String EVENTS_TYPE = "application/vnd.docker.distribution.events.v1+json";

    private final URI base;
    private final String hookToken;
    private final String adminToken;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    DeployService(URI base, Map<String, String> secrets) {
        this.base = base;
        this.hookToken = required(secrets, "HOOK_TOKEN");
        this.adminToken = required(secrets, "ADMIN_TOKEN");
    }

    /** POSTs an envelope to {@code /hooks/registry} as the platform registry does (bearer HOOK_TOKEN). */
    HttpResponse<String> hook(byte[] envelope) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/hooks/registry")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + hookToken).header("Content-Type", EVENTS_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(envelope)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** GET under {@code /api} with the admin token; anything but 200 is an error. */
    JsonNode api(String pathAndQuery) throws IOException, InterruptedException {
        return JSON.readTree(send(admin(pathAndQuery).GET(), 200));
    }

    /** {@code POST /api/deployments}: a manual deploy; returns the id its history entry will have. */
    String deploy(String environment, String service, String image) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("environment", environment, "service", service, "image", image));
        HttpRequest.Builder request = admin("/api/deployments").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return JSON.readTree(send(request, 202)).path("id").asString();
    }

    /** The newest {@code count} (at most 100) history entries, newest first. */
    List<JsonNode> deployments(int count) throws IOException, InterruptedException {
        List<JsonNode> items = new ArrayList<>();
        api("/api/deployments?page=0&size=" + count).path("items").forEach(items::add);
        return items;
    }

    /** The value of one Prometheus sample line, e.g. {@code rinpoche_x_total{a="b",}}, or 0 when absent. */
    double metric(String series) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/actuator/prometheus")).GET().build();
        String text = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim())).orElse(0.0);
    }

    private HttpRequest.Builder admin(String pathAndQuery) {
        return HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + adminToken);
    }

    private String send(HttpRequest.Builder request, int expected) throws IOException, InterruptedException {
        HttpRequest built = request.build();
        HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(built.method() + " " + built.uri().getPath() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String required(Map<String, String> secrets, String name) {
        String value = secrets.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the secrets file has no " + name);
        }
        return value;
    }
}
