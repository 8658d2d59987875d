package io.rinpoche.deploy.history;

import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A {@link DeployRequest} once accepted: the id its history entry will have and what asked for it. The history
 * records it before the rollout starts, so a crash between the two loses nothing.
 *
 * @param id the id the deployment's history entry will have
 */
public record Intent(String id, DeployRequest request, Trigger trigger) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public Intent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(trigger, "trigger");
    }

    public Intent(String id, Environment environment, ServiceName service, ImageRef image, Trigger trigger) {
        this(id, new DeployRequest(environment, service, image), trigger);
    }

    /** A new intent for {@code request}, with a new random id. */
    public static Intent of(DeployRequest request, Trigger trigger) {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return new Intent(HexFormat.of().formatHex(bytes), request, trigger);
    }

    public Environment environment() {
        return request.environment();
    }

    public ServiceName service() {
        return request.service();
    }

    public ImageRef image() {
        return request.image();
    }

    /** e.g. {@code 3f2a... (staging/app <- hello-django:develop-1, hook registry/9b0d)}. */
    @Override
    public String toString() {
        return id + " (" + request + ", " + trigger + ")";
    }
}
