package io.rinpoche.deploy.hook;

import io.rinpoche.deploy.hook.auth.Authenticator;
import io.rinpoche.deploy.hook.auth.BearerToken;
import io.rinpoche.deploy.hook.auth.GitHubSignature;
import io.rinpoche.deploy.hook.auth.PathToken;
import io.rinpoche.deploy.hook.auth.Secrets;
import io.rinpoche.deploy.hook.auth.StandardWebhookSignature;
import io.rinpoche.deploy.model.ImageRef;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The configured sources, validated once at start-up: a source that cannot work stops the service. */
public final class HookSources {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private final Map<String, HookSource> sources = new TreeMap<>();
    private final long maxBodyBytes;

    public HookSources(HookProperties properties, Clock clock) {
        this.maxBodyBytes = properties.maxBodySize().toBytes();
        if (maxBodyBytes < 1) {
            throw new IllegalStateException("rinpoche.hooks.max-body-size must be positive");
        }
        properties.sources().forEach((name, source) -> sources.put(name, validated(name, source, properties, clock)));
    }

    /** The source named {@code name}, if configured. */
    public Optional<HookSource> find(String name) {
        return Optional.ofNullable(sources.get(name));
    }

    /** The names of all configured sources. */
    public Set<String> names() {
        return Set.copyOf(sources.keySet());
    }

    /** Larger bodies are refused with 413 before they are parsed. */
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    private static HookSource validated(String name, HookProperties.Source source, HookProperties properties,
                                        Clock clock) {
        if (!NAME.matcher(name).matches()) {
            throw new InvalidHookSourceException(name, "name must be lower-case letters, digits, '-' or '_'");
        }
        if (source.type() == null) {
            throw new InvalidHookSourceException(name, "missing 'type'");
        }
        AuthMode auth = source.auth() != null ? source.auth() : source.type().defaultAuth();
        String secret = checkedSecret(name, source.secret());
        String registry = checkedRegistry(name, source.registry());
        return new HookSource(name, source.type(), authenticator(name, source.type(), auth, secret, properties, clock),
                registry, allowedRegistries(name, source, registry));
    }

    // The messages below may name the environment variable, never the secret's value.
    private static String checkedSecret(String name, String secret) {
        if (secret == null || secret.isBlank()) {
            throw new InvalidHookSourceException(name, "missing 'secret'");
        }
        if (secret.contains("${")) {
            throw new InvalidHookSourceException(name, "secret is the unresolved placeholder " + secret
                    + ": set that environment variable");
        }
        if (secret.length() < Secrets.MIN_LENGTH) {
            throw new InvalidHookSourceException(name, "secret is shorter than " + Secrets.MIN_LENGTH + " characters");
        }
        return secret;
    }

    private static Authenticator authenticator(String name, HookType type, AuthMode auth, String secret,
                                               HookProperties properties, Clock clock) {
        return switch (auth) {
            case BEARER -> new BearerToken(secret);
            case PATH_TOKEN -> new PathToken(secret);
            case HMAC -> signature(name, type, secret, properties, clock);
        };
    }

    private static Authenticator signature(String name, HookType type, String secret, HookProperties properties,
                                           Clock clock) {
        if (!type.signs()) {
            throw new InvalidHookSourceException(name, "type " + type + " documents no signature; use bearer or path-token");
        }
        if (type == HookType.GITHUB) {
            return new GitHubSignature(secret);
        }
        try {
            byte[] key = StandardWebhookSignature.key(secret);
            if (key.length < Secrets.MIN_LENGTH) {
                throw new InvalidHookSourceException(name, "the whsec_ key is shorter than " + Secrets.MIN_LENGTH + " bytes");
            }
            return new StandardWebhookSignature(key, clock, properties.signatureTolerance());
        } catch (IllegalArgumentException e) {
            throw new InvalidHookSourceException(name, e.getMessage());
        }
    }

    // A payload names the host its image is pulled from; only Docker Hub's adapter fixes it (docker.io).
    private static Set<String> allowedRegistries(String name, HookProperties.Source source, String registry) {
        List<String> allowed = source.allowedRegistries();
        if (registry != null && !allowed.isEmpty()) {
            throw new InvalidHookSourceException(name, "set either 'registry' (the one host to pull from) or"
                    + " 'allowed-registries', not both");
        }
        if (registry == null && allowed.isEmpty() && source.type() != HookType.DOCKER_HUB) {
            throw new InvalidHookSourceException(name, "a " + source.type() + " payload names the registry to pull"
                    + " from: set 'registry' (the one host to pull from) or 'allowed-registries' (the hosts it may name)");
        }
        allowed.forEach(host -> checkedRegistry(name, host));
        return Set.copyOf(allowed);
    }

    private static String checkedRegistry(String name, String registry) {
        if (registry == null || registry.isBlank()) {
            return null;
        }
        try {
            ImageRef.of(registry, "probe", "probe", null);
            return registry;
        } catch (IllegalArgumentException e) {
            throw new InvalidHookSourceException(name, "'registry' " + e.getMessage());
        }
    }
}
