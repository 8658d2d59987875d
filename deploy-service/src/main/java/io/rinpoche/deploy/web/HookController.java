package io.rinpoche.deploy.web;

import io.rinpoche.deploy.hook.HookIntake;
import io.rinpoche.deploy.hook.HookRejection;
import io.rinpoche.deploy.hook.HookRejection;
import io.rinpoche.deploy.hook.adapter.HookEvents;
import io.rinpoche.deploy.metrics.HookMetrics;
import io.rinpoche.deploy.metrics.HookOutcome;
import io.rinpoche.deploy.model.PushEvent;
import io.rinpoche.deploy.plan.DeploymentQueue;
import io.rinpoche.deploy.policy.Decision;
import io.rinpoche.deploy.policy.Policy;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /hooks/{source}} (and {@code /hooks/{source}/{token}} for registries that cannot send
 * headers): intake, then policy, then the queue. Answers 202 with what was planned or ignored.
 */
@RestController
public class HookController {

    private static final Logger log = LoggerFactory.getLogger(HookController.class);
    private final HookIntake intake;
    private final Policy policy;
    private final DeploymentQueue queue;
    private final HookMetrics metrics;

    public HookController(HookIntake intake, Policy policy, DeploymentQueue queue, HookMetrics metrics) {
        this.intake = intake;
        this.policy = policy;
        this.queue = queue;
        this.metrics = metrics;
    }

    /** Receives one hook; a refused request is answered by {@link HookProblems}. */
    @PostMapping({"/hooks/{source}", "/hooks/{source}/{token}"})
    public ResponseEntity<HookResponse> receive(@PathVariable("source") String source,
                                                @PathVariable(name = "token", required = false) String token,
                                                HttpServletRequest request) throws IOException {
        HookEvents events = intake.receive(source, token, headers(request), request.getContentLengthLong(),
                request.getInputStream());
        List<EventResult> results = new ArrayList<>();
        events.pushes().forEach(push -> results.add(decide(push)));
        events.ignored().forEach(reason -> results.add(EventResult.skipped(reason)));
        HookResponse response = HookResponse.of(source, results);
        metrics.record(source, response.accepted() ? HookOutcome.ACCEPTED : HookOutcome.IGNORED);
        log.info("hook from source {}: {} ({} planned, {} ignored)", source, response.outcome(),
                results.stream().filter(EventResult::isPlanned).count(),
                results.stream().filter(r -> !r.isPlanned()).count());
        return ResponseEntity.accepted().body(response);
    }

    /** Any other path under /hooks: 404 without echoing it, since a mistyped path may hold a token. */
    @PostMapping("/hooks/**")
    public ResponseEntity<HookResponse> noSuchHook() {
        throw new HookRejection(HookRejection.Reason.UNKNOWN_SOURCE, null,
                "no such hook endpoint; use POST /hooks/{source} or /hooks/{source}/{token}");
    }

    private EventResult decide(PushEvent push) {
        Decision decision = policy.decide(push);
        if (decision instanceof Decision.Planned planned) {
            queue.submit(planned.plan());
            log.info("planned {}", planned.plan().summary());
            return EventResult.planned(planned.plan());
        }
        return EventResult.ignored(push, ((Decision.Ignored) decision).reason());
    }

    private static Map<String, String> headers(HttpServletRequest request) {
        Map<String, String> headers = new HashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.putIfAbsent(name.toLowerCase(Locale.ROOT), request.getHeader(name));
        }
        return headers;
    }
}
