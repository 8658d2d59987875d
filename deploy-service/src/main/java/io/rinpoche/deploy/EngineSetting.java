package io.rinpoche.deploy;

import java.util.List;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * {@code rinpoche.engine} ({@code RINPOCHE_ENGINE}): which rollout engine runs, {@code compose} (one Docker host, the
 * default) or {@code swarm} (a Docker Swarm cluster, through a manager). Each engine's configuration loads only under
 * its own name, so exactly one {@code RolloutEngine} exists; any other value stops start-up while the configuration is
 * read, naming the setting, instead of a missing bean further on.
 */
public abstract class EngineSetting implements Condition {

    public static final String PROPERTY = "rinpoche.engine";
    static final List<String> KNOWN = List.of("compose", "swarm");

    private final String engine;

    EngineSetting(String engine) {
        this.engine = engine;
    }

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return engine.equals(chosen(context.getEnvironment().getProperty(PROPERTY)));
    }

    /** The engine {@code value} names; blank is the default, {@code compose}. */
    static String chosen(String value) {
        String engine = value == null || value.isBlank() ? "compose" : value.strip();
        if (!KNOWN.contains(engine)) {
            throw new InvalidEngineException(PROPERTY + " (RINPOCHE_ENGINE) is '" + engine + "': the rollout engines are "
                    + String.join(" and ", KNOWN));
        }
        return engine;
    }

    /** The compose engine's condition. */
    public static final class Compose extends EngineSetting {
        public Compose() {
            super("compose");
        }
    }

    /** The swarm engine's condition. */
    public static final class Swarm extends EngineSetting {
        public Swarm() {
            super("swarm");
        }
    }

    /** {@code rinpoche.engine} names no engine. */
    public static final class InvalidEngineException extends IllegalStateException {
        InvalidEngineException(String message) {
            super(message);
        }
    }
}
