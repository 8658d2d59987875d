package io.rinpoche.deploy.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rinpoche.deploy.policy.Decision;

/** One push of a hook request and what became of it: {@code planned} (where to) or {@code ignored} (why). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventResult(String outcome, String eventId, String image, String environment, String service,
                          String rule, String reason) {

    static EventResult of(Decision decision) {
        if (decision instanceof Decision.Planned planned) {
            return new EventResult("planned", planned.event().eventId(), planned.request().image().toString(),
                    planned.request().environment().name(), planned.request().service().name(), planned.rule(), null);
        }
        Decision.Ignored ignored = (Decision.Ignored) decision;
        return new EventResult("ignored", ignored.event().eventId(), ignored.event().image().toString(), null, null,
                null, ignored.reason());
    }

    static EventResult skipped(String reason) {
        return new EventResult("ignored", null, null, null, null, null, reason);
    }

    boolean isPlanned() {
        return outcome.equals("planned");
    }
}
