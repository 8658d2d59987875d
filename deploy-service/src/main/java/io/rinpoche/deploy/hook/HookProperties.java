package io.rinpoche.deploy.hook;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code rinpoche.hooks}: the hook sources by name, the largest body accepted, how far a signed request's
 * timestamp may be from now, and how many event ids are remembered to recognise a redelivery (10000, newest kept).
 */
@ConfigurationProperties("rinpoche.hooks")
public record HookProperties(@DefaultValue("1MB") DataSize maxBodySize,
                             @DefaultValue("5m") Duration signatureTolerance,
                             @DefaultValue Map<String, Source> sources,
                             @DefaultValue("10000") int rememberedEvents) {

    public HookProperties {
        if (rememberedEvents < 1) {
            throw new IllegalArgumentException("rinpoche.hooks.remembered-events must be positive, not "
                    + rememberedEvents);
        }
    }

    /**
     * One source: its payload format, how it authenticates, its secret, and where its images come from: the one
     * host to pull from ({@code registry}), or the hosts a payload may name ({@code allowed-registries}).
     */
    public record Source(HookType type, AuthMode auth, String secret, String registry,
                         List<String> allowedRegistries) {

        // The constructor configuration binds to (a record with two constructors must say which).
        @ConstructorBinding
        public Source {
            allowedRegistries = allowedRegistries == null ? List.of() : List.copyOf(allowedRegistries);
        }

        /** A source whose images are pulled from {@code registry} (for a type that fixes the host: null). */
        public Source(HookType type, AuthMode auth, String secret, String registry) {
            this(type, auth, secret, registry, List.of());
        }

        // Records print every component; this one must never print the secret (logs, failure analysis).
        @Override
        public String toString() {
            return "Source[type=" + type + ", auth=" + auth + ", secret=" + (secret == null ? "null" : "******")
                    + ", registry=" + registry + ", allowedRegistries=" + allowedRegistries + "]";
        }
    }
}
