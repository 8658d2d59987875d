package io.rinpoche.deploy.rollout;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * An engine's settings for a test or a benchmark: the values it sets, named as in the configuration without the
 * prefix (e.g. {@code health-timeout} -> {@code 30s}), bound as Spring binds the service's configuration, each
 * default for the rest.
 */
public final class EngineSettings {

    private EngineSettings() {
    }

    public static <T> T bind(Class<T> type, Map<String, String> settings) {
        String prefix = type.getAnnotation(ConfigurationProperties.class).value();
        Map<String, String> named = new HashMap<>();
        settings.forEach((key, value) -> named.put(prefix + "." + key, value));
        try {
            return new Binder(new MapConfigurationPropertySource(named)).bindOrCreate(prefix, type);
        } catch (BindException e) {
            // A value the settings refuse says so in its own words, as the service's start-up failure does.
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof IllegalArgumentException refused) {
                    throw refused;
                }
            }
            throw e;
        }
    }
}
