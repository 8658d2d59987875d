package io.rinpoche.deploy.rollout.swarm;

import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request;
import com.github.dockerjava.transport.DockerHttpClient.Response;
import io.rinpoche.deploy.rollout.RolloutException;
import io.rinpoche.deploy.rollout.docker.DockerJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A swarm manager's Docker API as raw JSON over docker-java's httpclient5 transport. Raw, because a service spec
 * goes back to the engine as it came: a typed model would drop the fields it does not know, and the update would
 * silently change the service's configuration.
 */
final class SwarmApi implements AutoCloseable {

    private final DockerHttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();

    private SwarmApi(DockerHttpClient http) {
        this.http = http;
    }

    /** A client for the manager the settings name; TLS when they give a certificate directory. */
    static SwarmApi connect(SwarmEngineSettings settings) {
        return new SwarmApi(settings.endpoint().transport(settings.apiTimeout(), 8));
    }

    /** {@code GET path}; empty when the engine answers 404. */
    Optional<JsonNode> find(String path, Map<String, String> headers) {
        Request.Builder request = Request.builder().method(Request.Method.GET).path(path);
        headers.forEach(request::putHeader);
        try (Response response = http.execute(request.build())) {
            byte[] body = response.getBody().readAllBytes();
            if (response.getStatusCode() == 404) {
                return Optional.empty();
            }
            return Optional.of(DockerJson.read(path, response.getStatusCode(), body));
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed", e);
        }
    }

    /** {@code GET path}, which must exist. */
    JsonNode get(String path) {
        return find(path, Map.of()).orElseThrow(() -> new RolloutException("Docker engine: " + path + " not found"));
    }

    /** {@code POST path} with a JSON body and headers. */
    JsonNode post(String path, JsonNode body, Map<String, String> headers) {
        Request.Builder request = Request.builder().method(Request.Method.POST).path(path)
                .putHeader("Content-Type", "application/json")
                .bodyBytes(json.writeValueAsBytes(body));
        headers.forEach(request::putHeader);
        try (Response response = http.execute(request.build())) {
            byte[] answer = response.getBody().readAllBytes();
            return answer.length == 0 && response.getStatusCode() < 300
                    ? JsonNodeFactory.instance.objectNode() : DockerJson.read(path, response.getStatusCode(), answer);
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + path + " failed", e);
        }
    }

    /** {@code POST path} without a body (a container's signal): fails unless the engine accepts it. */
    void post(String path) {
        try (Response response = http.execute(Request.builder().method(Request.Method.POST).path(path).build())) {
            byte[] answer = response.getBody().readAllBytes();
            if (response.getStatusCode() >= 300) {
                DockerJson.read(path, response.getStatusCode(), answer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + path + " failed", e);
        }
    }

    /**
     * The last {@code lines} lines a task wrote (stdout and stderr), fetched through the manager from whichever
     * node ran it; empty when they cannot be had.
     */
    String taskLogs(String task, int lines) {
        String path = "/tasks/" + DockerJson.encode(task) + "/logs?stdout=1&stderr=1&tail=" + lines;
        try (Response response = http.execute(Request.builder().method(Request.Method.GET).path(path).build())) {
            byte[] body = response.getBody().readAllBytes();
            return response.getStatusCode() < 300 ? demultiplex(body) : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    // A container without a TTY streams frames: 1 byte stream, 3 padding, 4 bytes big-endian length, the payload.
    private static String demultiplex(byte[] body) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ByteBuffer frames = ByteBuffer.wrap(body);
        while (frames.remaining() >= 8) {
            frames.position(frames.position() + 4);
            int length = Math.min(frames.getInt(), frames.remaining());
            text.write(body, frames.position(), length);
            frames.position(frames.position() + length);
        }
        return text.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            http.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the Docker client", e);
        }
    }

}
