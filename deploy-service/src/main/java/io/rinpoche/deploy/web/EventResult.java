package io.rinpoche.deploy.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rinpoche.deploy.model.DeploymentPlan;
import io.rinpoche.deploy.model.PushEvent;

/** One push of a hook request and what became of it: {@code planned} (where to) or {@code ignored} (why). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventResult(String outcome, String eventId, String image, String environment, String service,
                          String rule, String reason) {

    static EventResult planned(DeploymentPlan plan) {
        return new EventResult("planned", plan.trigger().eventId(), plan.image().toString(),
                plan.environment().name(), plan.service().name(), plan.rule(), null);
    }

    static EventResult ignored(PushEvent push, String reason) {
        return new EventResult("ignored", push.eventId(), push.image().toString(), null, null, null, reason);
    }

    static EventResult skipped(String reason) {
        return new EventResult("ignored", null, null, null, null, null, reason);
    }

    boolean isPlanned() {
        return outcome.equals("planned");
    }
}
