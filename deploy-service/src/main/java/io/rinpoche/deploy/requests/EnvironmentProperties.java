package io.rinpoche.deploy.requests;

import io.rinpoche.deploy.model.Environment;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rinpoche.environments}: the environments the service manages (production, staging), listed by
 * {@code GET /api/environments}, reconciled, and the only ones manual deploys accept.
 */
@ConfigurationProperties("rinpoche")
public record EnvironmentProperties(@DefaultValue({"production", "staging"}) List<Environment> environments) {

    public EnvironmentProperties {
        environments = List.copyOf(environments);
        if (environments.isEmpty()) {
            throw new IllegalArgumentException("rinpoche.environments must name at least one environment");
        }
    }
}
