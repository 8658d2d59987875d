package io.rinpoche.deploy.web;

import io.rinpoche.deploy.hook.HookRejection;
import io.rinpoche.deploy.requests.HookDeliveries;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /hooks/{source}} (and {@code /hooks/{source}/{token}} for registries that cannot send
 * headers): hands the request to {@link HookDeliveries} and answers 202 with what was planned or ignored.
 * A refusal is answered by {@link HookProblems}.
 */
@RestController
public class HookController {

    private final HookDeliveries deliveries;

    public HookController(HookDeliveries deliveries) {
        this.deliveries = deliveries;
    }

    @PostMapping({"/hooks/{source}", "/hooks/{source}/{token}"})
    public ResponseEntity<HookResponse> receive(@PathVariable("source") String source,
                                                @PathVariable(name = "token", required = false) String token,
                                                HttpServletRequest request) throws IOException {
        HookDeliveries.Delivery delivery = deliveries.receive(source, token, headers(request),
                request.getContentLengthLong(), request.getInputStream());
        List<EventResult> results = new ArrayList<>();
        delivery.decisions().forEach(decision -> results.add(EventResult.of(decision)));
        delivery.skipped().forEach(reason -> results.add(EventResult.skipped(reason)));
        return ResponseEntity.accepted().body(HookResponse.of(source, results));
    }

    /** Any other path under /hooks: 404 without echoing it, since a mistyped path may hold a token. */
    @PostMapping("/hooks/**")
    public ResponseEntity<HookResponse> noSuchHook() {
        throw new HookRejection(HookRejection.Reason.UNKNOWN_SOURCE, null,
                "no such hook endpoint; use POST /hooks/{source} or /hooks/{source}/{token}");
    }

    private static Map<String, String> headers(HttpServletRequest request) {
        Map<String, String> headers = new HashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.putIfAbsent(name.toLowerCase(Locale.ROOT), request.getHeader(name));
        }
        return headers;
    }
}
