package io.rinpoche.deploy.web.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.requests.EnvironmentState;
import io.rinpoche.deploy.rollout.ServiceState;
import java.util.List;
import java.util.Locale;

/** One environment in {@code GET /api/environments}: its services, or why the engine could not list them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvironmentView(String name, List<Service> services, String error) {

    /**
     * One service as it runs.
     *
     * @param version the image's tag when its reference has one (e.g. {@code 1.4.0}, {@code develop-abc123})
     * @param since when its oldest running replica started: it has run this image since then
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Service(String name, String image, String digest, String version, String health, String since,
                          int replicas) {

        static Service of(ServiceState state) {
            return new Service(state.service().name(), state.image().reference(), state.image().digest().value(),
                    version(state.image().reference()), state.health().name().toLowerCase(Locale.ROOT),
                    state.since().toString(), state.replicas());
        }

        // The engine reports the reference a container was created from; a pinned one may carry no tag.
        private static String version(String reference) {
            try {
                return ImageRef.parse(reference).tag();
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /** The view of {@code state}, as the API and the dashboard show it. */
    public static EnvironmentView of(EnvironmentState state) {
        return new EnvironmentView(state.environment().name(), state.services().stream().map(Service::of).toList(),
                state.error());
    }
}
