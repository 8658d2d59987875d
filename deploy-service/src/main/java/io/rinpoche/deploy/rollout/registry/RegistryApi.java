package io.rinpoche.deploy.rollout.registry;

import io.rinpoche.deploy.model.Digest;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.rollout.RegistryTags;
import io.rinpoche.deploy.rollout.RolloutException;
import io.rinpoche.deploy.rollout.TransientRolloutException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a tag points to, asked of the registry over its HTTP API v2 (a manifest HEAD, as {@code docker pull} does
 * first), with the credentials the engine pulls with for that registry: Basic, or a bearer token from the registry's
 * token service when it asks for one (Docker Hub, GHCR, Harbor).
 *
 * @see <a href="https://distribution.github.io/distribution/spec/api/#existing-manifests">Existing manifests</a>
 * @see <a href="https://distribution.github.io/distribution/spec/auth/token/">Token authentication</a>
 */
public final class RegistryApi implements RegistryTags {

    // Every type a tag may point to, so the registry answers with the stored manifest's own digest instead of
    // converting it (an OCI or Docker multi-platform index, or a single-platform manifest).
    static final String ACCEPT = String.join(", ", "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json");
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final String DOCKER_HUB = "https://registry-1.docker.io";

    private final RegistryLogin login;
    private final Duration timeout;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();

    public RegistryApi(RegistryLogin login, Duration timeout) {
        this.login = login;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    @Override
    public Digest digest(ImageRef image) {
        if (image.tag() == null) {
            throw new RolloutException(image + " has no tag to look up at its registry");
        }
        URI uri = apiBase(image.registry()).resolve("/v2/" + repository(image) + "/manifests/" + image.tag());
        HttpResponse<byte[]> response = authorized(image, uri, "HEAD");
        if (response.statusCode() == 200 && response.headers().firstValue("Docker-Content-Digest").isEmpty()) {
            response = authorized(image, uri, "GET"); // not every registry names the digest on a HEAD: hash the body
        }
        return switch (response.statusCode()) {
            case 200 -> digestOf(response);
            case 404 -> throw new RolloutException("the registry " + host(image) + " does not know "
                    + image.repository() + ":" + image.tag());
            case 401, 403 -> throw new RolloutException("the registry " + host(image) + " refused to say what "
                    + image.repository() + ":" + image.tag() + " points to (HTTP " + response.statusCode() + ")");
            default -> throw new TransientRolloutException("the registry " + host(image) + " answered HTTP "
                    + response.statusCode() + " for " + image.repository() + ":" + image.tag(), null);
        };
    }

    // Credentials up front for the engine's own registry; on a bearer challenge, a token for this repository.
    private HttpResponse<byte[]> authorized(ImageRef image, URI uri, String method) {
        Optional<String> basic = login.isFor(image.registry()) ? Optional.of(login.basic()) : Optional.empty();
        HttpResponse<byte[]> response = send(manifestRequest(uri, method, basic.orElse(null)), image);
        Optional<String> challenge = response.headers().firstValue("WWW-Authenticate");
        if (response.statusCode() == 401 && challenge.isPresent()
                && challenge.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = token(challenge.get(), basic, image);
            response = send(manifestRequest(uri, method, "Bearer " + token), image);
        }
        return response;
    }

    private HttpRequest manifestRequest(URI uri, String method, String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", ACCEPT)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.build();
    }

    // Bearer realm="https://auth.example/token",service="registry.example",scope="repository:team/app:pull"
    private String token(String challenge, Optional<String> basic, ImageRef image) {
        Map<String, String> params = new LinkedHashMap<>();
        Matcher param = CHALLENGE_PARAM.matcher(challenge);
        while (param.find()) {
            params.put(param.group(1), param.group(2));
        }
        String realm = params.remove("realm");
        if (realm == null) {
            throw new RolloutException("the registry " + host(image) + " asked for a token without naming its realm");
        }
        params.putIfAbsent("scope", "repository:" + repository(image) + ":pull");
        StringBuilder query = new StringBuilder();
        params.forEach((key, value) -> query.append(query.isEmpty() ? "?" : "&").append(key).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(realm + query)).timeout(timeout).GET();
        basic.ifPresent(value -> request.header("Authorization", value));
        HttpResponse<byte[]> response = send(request.build(), image);
        if (response.statusCode() != 200) {
            throw response.statusCode() >= 500
                    ? new TransientRolloutException("the token service of " + host(image) + " answered HTTP "
                            + response.statusCode(), null)
                    : new RolloutException("the token service of " + host(image) + " refused a token to pull "
                            + image.repository() + " (HTTP " + response.statusCode() + ")");
        }
        try {
            JsonNode body = json.readTree(response.body());
            String token = body.path("token").asString(body.path("access_token").asString(""));
            if (!token.isEmpty()) {
                return token;
            }
        } catch (JacksonException e) {
            // Reported below, without the body: it may hold a token.
        }
        throw new RolloutException("the token service of " + host(image) + " answered without a token");
    }

    private HttpResponse<byte[]> send(HttpRequest request, ImageRef image) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new TransientRolloutException("cannot reach the registry " + host(image) + " at "
                    + request.uri().getHost() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RolloutException("interrupted while asking the registry " + host(image) + " about " + image, e);
        }
    }

    private static Digest digestOf(HttpResponse<byte[]> response) {
        Optional<String> named = response.headers().firstValue("Docker-Content-Digest");
        if (named.isPresent() && Digest.isDigest(named.get())) {
            return Digest.parse(named.get());
        }
        try {
            byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(response.body());
            return Digest.parse("sha256:" + HexFormat.of().formatHex(sha256));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    // The configured API URL for the engine's registry; Docker Hub's API host; else the host itself, over plain
    // HTTP only on loopback, as the Docker engine allows by default.
    private URI apiBase(String registry) {
        if (login.isFor(registry) && login.apiUrl() != null) {
            return login.apiUrl();
        }
        if (registry == null || registry.equals("docker.io")) {
            return URI.create(DOCKER_HUB);
        }
        String host = registry.replaceFirst(":\\d+$", "");
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
        return URI.create((loopback ? "http://" : "https://") + registry);
    }

    // Docker Hub's official images live under library/.
    private static String repository(ImageRef image) {
        boolean hub = image.registry() == null || image.registry().equals("docker.io");
        return hub && !image.repository().contains("/") ? "library/" + image.repository() : image.repository();
    }

    private static String host(ImageRef image) {
        return image.registry() == null ? "docker.io" : image.registry();
    }
}
