package io.rinpoche.deploy.web.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rinpoche.deploy.history.Deployment;
import io.rinpoche.deploy.history.DeploymentPage;
import io.rinpoche.deploy.history.Trigger;
import io.rinpoche.deploy.rollout.ImageVersion;
import java.util.List;
import java.util.Locale;

/**
 * One history entry in {@code GET /api/deployments}: what ({@code environment}/{@code service}, the image
 * {@code requested}), {@code from} -> {@code to}, the trigger, the outcome, when it started, how long it took
 * and why it was not deployed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentView(String id, String environment, String service, String requested, Image from, Image to,
                             TriggerView trigger, String outcome, String started, double durationSeconds,
                             String reason) {

    /** An image as it ran: the reference and its digest. */
    public record Image(String image, String digest) {

        static Image of(ImageVersion version) {
            return version == null ? null : new Image(version.reference(), version.digest().value());
        }
    }

    /** Who or what asked: {@code hook} (source, eventId), {@code manual} or {@code rollback} (user). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TriggerView(String kind, String source, String eventId, String user) {

        static TriggerView of(Trigger trigger) {
            return new TriggerView(trigger.kind().tag(), trigger.source(), trigger.eventId(), trigger.user());
        }
    }

    /** One page of them, newest first. */
    public record Page(List<DeploymentView> items, int page, int size, long total) {

        static Page of(DeploymentPage page) {
            return new Page(page.items().stream().map(DeploymentView::of).toList(), page.page(), page.size(),
                    page.total());
        }
    }

    /** The view of {@code deployment}, as the API and the dashboard show it. */
    public static DeploymentView of(Deployment deployment) {
        return new DeploymentView(deployment.id(), deployment.environment().name(), deployment.service().name(),
                deployment.requested().toString(), Image.of(deployment.from()), Image.of(deployment.to()),
                TriggerView.of(deployment.trigger()), deployment.outcome().name().toLowerCase(Locale.ROOT),
                deployment.started().toString(), deployment.duration().toMillis() / 1000.0,
                deployment.reason().isEmpty() ? null : deployment.reason());
    }
}
