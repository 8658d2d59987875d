package io.rinpoche.deploy.hook;

import io.rinpoche.deploy.hook.adapter.HookEvents;
import io.rinpoche.deploy.hook.auth.Authenticator;
import io.rinpoche.deploy.model.PushEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A configured, validated source: its name in {@code /hooks/{name}}, its format, its authenticator, and where
 * its images may be pulled from: {@code registry}, the one host that replaces whatever the payload says, or
 * else the hosts in {@code allowedRegistries} (empty only for a type whose adapter fixes the host itself).
 */
public record HookSource(String name, HookType type, Authenticator authenticator, String registry,
                         Set<String> allowedRegistries) {

    public HookSource {
        allowedRegistries = Set.copyOf(allowedRegistries);
    }

    /**
     * {@code events} as this source may deploy them: moved to {@link #registry} when it is set; else a push from a
     * host that is not allowed is ignored, since whoever holds the source's secret must not choose the host.
     */
    HookEvents restrict(HookEvents events) {
        if (registry != null) {
            return events.withRegistry(registry);
        }
        List<PushEvent> allowed = new ArrayList<>();
        List<String> ignored = new ArrayList<>(events.ignored());
        for (PushEvent push : events.pushes()) {
            String host = push.image().registry(); // null for Docker Hub, which an immutable set cannot look up
            if (allowedRegistries.isEmpty() || host != null && allowedRegistries.contains(host)) {
                allowed.add(push);
            } else {
                ignored.add("registry '" + (host == null ? "docker.io" : host) + "' of " + push.image().repository() + ":"
                        + push.image().tag() + " is not in the allowed-registries of source " + name);
            }
        }
        return new HookEvents(allowed, ignored);
    }
}
