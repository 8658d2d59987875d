package io.rinpoche.deploy.web.api;

import io.rinpoche.deploy.requests.Environments;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/environments}: each configured environment's services as the engine sees them now. */
@RestController
public class EnvironmentController {

    private final Environments environments;

    public EnvironmentController(Environments environments) {
        this.environments = environments;
    }

    @GetMapping("/api/environments")
    public List<EnvironmentView> environments() {
        return environments.states().stream().map(EnvironmentView::of).toList();
    }
}
