package io.rinpoche.deploy.rollout.registry;

import com.github.dockerjava.api.model.AuthConfig;
import io.rinpoche.deploy.model.ImageRef;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The credentials the engine pulls with from one registry ({@code rinpoche.rollout.registry.*}): the
 * platform's own registry asks every client to log in, and the Docker engine keeps no login of its own,
 * so each pull from it carries these. Images of any other registry are pulled without credentials.
 *
 * @param address the registry host as image names spell it, e.g. {@code 127.0.0.1:5000}; none by default
 * @param apiUrl where this service reaches that registry's HTTP API, when not at {@code address} (the Docker engine
 *     pulls from the host's {@code 127.0.0.1:5000}, a container reaches the registry as {@code http://registry:5000})
 */
@ConfigurationProperties("rinpoche.rollout.registry")
public record RegistryLogin(String address, String username, String password, URI apiUrl) {

    public RegistryLogin {
        address = blankToNull(address);
        username = blankToNull(username);
        password = blankToNull(password);
        apiUrl = apiUrl == null || apiUrl.toString().isBlank() ? null : apiUrl;
        if (apiUrl != null && (apiUrl.getHost() == null || !List.of("http", "https").contains(apiUrl.getScheme()))) {
            throw new IllegalArgumentException("rinpoche.rollout.registry.api-url: '" + apiUrl
                    + "' is not an http:// or https:// URL with a host");
        }
        if (address != null && (username == null || password == null)) {
            throw new IllegalArgumentException("rinpoche.rollout.registry: a username and a password are needed"
                    + " to pull from " + address);
        }
    }

    /** No registry login: every pull is anonymous. */
    public static RegistryLogin none() {
        return new RegistryLogin(null, null, null, null);
    }

    /** True when {@code registry} (a host as image names spell it) is the one these credentials are for. */
    boolean isFor(String registry) {
        return address != null && address.equals(registry);
    }

    /** {@code Basic <user:password>}, for this registry's API and its token service. */
    String basic() {
        byte[] credentials = (username + ":" + password).getBytes(StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(credentials);
    }

    /** The credentials for pulling {@code image}, when it lives in this registry. */
    public Optional<AuthConfig> authFor(ImageRef image) {
        if (!isFor(image.registry())) {
            return Optional.empty();
        }
        return Optional.of(new AuthConfig().withRegistryAddress(address).withUsername(username).withPassword(password));
    }

    // Never the password: this record's default toString would print it.
    @Override
    public String toString() {
        return "RegistryLogin[" + (address == null ? "none" : username + "@" + address) + "]";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
