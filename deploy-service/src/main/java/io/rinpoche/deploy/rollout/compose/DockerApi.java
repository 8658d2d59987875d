package io.rinpoche.deploy.rollout.compose;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient.Request;
import com.github.dockerjava.transport.DockerHttpClient.Response;
import com.github.dockerjava.transport.DockerHttpClient;
import io.rinpoche.deploy.rollout.RolloutException;
import io.rinpoche.deploy.rollout.docker.DockerEndpoint;
import io.rinpoche.deploy.rollout.docker.DockerJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Docker engine as the compose engine uses it: docker-java's typed commands over the httpclient5
 * transport, plus raw JSON on the same transport for inspecting and creating containers, where a typed
 * model would drop the fields it does not know (see {@link ContainerBlueprint}).
 */
final class DockerApi implements AutoCloseable {

    private final DockerHttpClient http;
    private final DockerClient client;
    private final DockerClient slowClient;
    // A secret file is a line; anything bigger is no secret file.
    private static final long MAX_FILE = 64 * 1024;

    private final JsonMapper json = JsonMapper.builder().build();

    private DockerApi(DockerHttpClient http, DockerClient client, DockerClient slowClient) {
        this.http = http;
        this.client = client;
        this.slowClient = slowClient;
    }

    /**
     * A client for the engine the settings name; TLS when they give a certificate directory. Every call has a
     * response timeout (docker-java's default is none: an engine that accepts and never answers would hold the
     * caller forever): {@code api-timeout}, or for {@link #slowClient()} {@code pull-timeout}.
     */
    static DockerApi connect(ComposeEngineSettings settings) {
        DockerEndpoint endpoint = settings.endpoint();
        DefaultDockerClientConfig config = endpoint.config();
        DockerHttpClient http = endpoint.transport(settings.apiTimeout(), 32);
        return new DockerApi(http, DockerClientImpl.getInstance(config, http),
                DockerClientImpl.getInstance(config, endpoint.transport(settings.pullTimeout(), 32)));
    }

    /** docker-java's typed commands, each answered within {@code api-timeout}. */
    DockerClient client() {
        return client;
    }

    /** The same, for the calls that may take long: a pull, and a stop that waits for the container's stop timeout. */
    DockerClient slowClient() {
        return slowClient;
    }

    /** {@code GET /containers/{id}/json}. */
    JsonNode inspectContainer(String id) {
        return find("/containers/" + DockerJson.encode(id) + "/json")
                .orElseThrow(() -> new RolloutException("container " + id + " is gone"));
    }

    /** {@code GET /containers/{id}/json}, empty when the engine has no such container. */
    Optional<JsonNode> findContainer(String id) {
        return find("/containers/" + DockerJson.encode(id) + "/json");
    }

    /** {@code GET /images/{reference}/json}, empty when the engine has no such image. */
    Optional<JsonNode> inspectImage(String reference) {
        return find("/images/" + reference + "/json");
    }

    /**
     * The content of the small file {@code path} in container {@code id}, running or not ({@code GET
     * /containers/{id}/archive}, a tar of it); empty when there is no such file or it is over 64 KiB.
     */
    Optional<String> readFile(String id, String path) {
        try (InputStream tar = client.copyArchiveFromContainerCmd(id, path).exec();
                TarArchiveInputStream entries = new TarArchiveInputStream(tar)) {
            TarArchiveEntry entry = entries.getNextEntry();
            if (entry == null || !entry.isFile() || entry.getSize() > MAX_FILE) {
                return Optional.empty();
            }
            return Optional.of(new String(entries.readAllBytes(), StandardCharsets.UTF_8));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + " in container " + id, e);
        }
    }

    /** {@code POST /containers/create?name=}: the new container's id. */
    String create(String name, ObjectNode body) {
        return send("/containers/create?name=" + DockerJson.encode(name), body).path("Id").asString();
    }

    /** {@code POST /containers/{id}/update}, e.g. {@code {"RestartPolicy": ...}} on a running container. */
    void update(String container, ObjectNode body) {
        send("/containers/" + DockerJson.encode(container) + "/update", body);
    }

    /** {@code POST /networks/{network}/connect} with the endpoint settings, before the container starts. */
    void connect(String network, String container, ObjectNode endpoint) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("Container", container);
        body.set("EndpointConfig", endpoint);
        send("/networks/" + DockerJson.encode(network) + "/connect", body);
    }

    @Override
    public void close() {
        try (slowClient) {
            client.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the Docker client", e);
        }
    }

    private Optional<JsonNode> find(String path) {
        Request request = Request.builder().method(Request.Method.GET).path(path).build();
        try (Response response = http.execute(request)) {
            byte[] body = response.getBody().readAllBytes();
            if (response.getStatusCode() == 404) {
                return Optional.empty();
            }
            return Optional.of(DockerJson.read(path, response.getStatusCode(), body));
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed", e);
        }
    }

    private JsonNode send(String path, JsonNode body) {
        Request request = Request.builder().method(Request.Method.POST).path(path)
                .putHeader("Content-Type", "application/json")
                .bodyBytes(json.writeValueAsBytes(body))
                .build();
        try (Response response = http.execute(request)) {
            byte[] answer = response.getBody().readAllBytes();
            return answer.length == 0 && response.getStatusCode() < 300
                    ? JsonNodeFactory.instance.objectNode() : DockerJson.read(path, response.getStatusCode(), answer);
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + path + " failed", e);
        }
    }

}
