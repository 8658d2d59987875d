package io.rinpoche.deploy.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The 202 answer to a hook: {@code accepted} when at least one plan was queued, else {@code ignored}
 * with the reason; {@code events} lists every push (and every skipped part) of the request.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HookResponse(String source, String outcome, String reason, List<EventResult> events) {

    static HookResponse of(String source, List<EventResult> events) {
        if (events.stream().anyMatch(EventResult::isPlanned)) {
            return new HookResponse(source, "accepted", null, events);
        }
        String reason = events.isEmpty() ? "the payload holds nothing to deploy" : events.get(0).reason();
        return new HookResponse(source, "ignored", reason, events);
    }
}
