package io.rinpoche.deploy.web.api;

import static io.rinpoche.deploy.web.api.DeploymentRequests.required;

import io.rinpoche.deploy.apply.Environments;
import io.rinpoche.deploy.apply.Rollbacks;
import io.rinpoche.deploy.apply.RolloutScheduler;
import io.rinpoche.deploy.history.DeploymentHistory;
import io.rinpoche.deploy.history.Trigger;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.rollout.RolloutRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The history, manual deploys and rollbacks. Deploys and rollbacks go through the same queue as hooks, so
 * they are serialized and coalesced with them per service; the 202 means queued, the history tells the outcome.
 */
@RestController
public class DeploymentController {

    // One token, so one user; a user per token comes with per-user tokens.
    static final String USER = "admin";

    private final DeploymentHistory history;
    private final RolloutScheduler scheduler;
    private final Environments environments;
    private final Rollbacks rollbacks;

    public DeploymentController(DeploymentHistory history, RolloutScheduler scheduler, Environments environments,
                                Rollbacks rollbacks) {
        this.history = history;
        this.scheduler = scheduler;
        this.environments = environments;
        this.rollbacks = rollbacks;
    }

    @GetMapping("/api/deployments")
    public DeploymentView.Page deployments(@RequestParam(name = "page", defaultValue = "0") int page,
                                           @RequestParam(name = "size", defaultValue = "20") int size) {
        return DeploymentView.Page.of(history.page(page, size));
    }

    @PostMapping("/api/deployments")
    public ResponseEntity<DeploymentRequests.Queued> deploy(@RequestBody DeploymentRequests.Deploy body) {
        RolloutRequest request = new RolloutRequest(environment(body.environment()),
                ServiceName.of(required("service", body.service())), ImageRef.parse(required("image", body.image())));
        return queued(request, Trigger.manual(USER));
    }

    @PostMapping("/api/rollback")
    public ResponseEntity<DeploymentRequests.Queued> rollback(@RequestBody DeploymentRequests.Rollback body) {
        Environment environment = environment(body.environment());
        ServiceName service = ServiceName.of(required("service", body.service()));
        ImageRef target = body.to() == null ? rollbacks.target(environment, service)
                : rollbacks.target(environment, service, ImageRef.parse(body.to()));
        return queued(new RolloutRequest(environment, service, target), Trigger.rollback(USER));
    }

    private Environment environment(String name) {
        Environment environment = Environment.of(required("environment", name));
        if (!environments.contains(environment)) {
            throw new IllegalArgumentException("unknown environment '" + environment + "' (configured: "
                    + environments.configured() + ")");
        }
        return environment;
    }

    private ResponseEntity<DeploymentRequests.Queued> queued(RolloutRequest request, Trigger trigger) {
        String id = scheduler.submit(request, trigger);
        return ResponseEntity.accepted().body(new DeploymentRequests.Queued(id, request.environment().name(),
                request.service().name(), request.image().toString(), "queued"));
    }
}
