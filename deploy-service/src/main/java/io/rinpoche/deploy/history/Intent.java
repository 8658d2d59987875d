package io.rinpoche.deploy.history;

import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import java.util.Objects;

/**
 * An accepted request before it is rolled: {@code service} of {@code environment} is to run {@code image}.
 * The history records it before the rollout starts, so a crash between the two loses nothing.
 *
 * @param id the id the deployment's history entry will have
 */
public record Intent(String id, Environment environment, ServiceName service, ImageRef image, Trigger trigger) {

    public Intent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(trigger, "trigger");
    }
}
