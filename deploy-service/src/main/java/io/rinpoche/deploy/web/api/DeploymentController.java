package io.rinpoche.deploy.web.api;

import io.rinpoche.deploy.history.DeploymentHistory;
import io.rinpoche.deploy.requests.ManualRequests;
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

    private final DeploymentHistory history;
    private final ManualRequests requests;

    public DeploymentController(DeploymentHistory history, ManualRequests requests) {
        this.history = history;
        this.requests = requests;
    }

    @GetMapping("/api/deployments")
    public DeploymentView.Page deployments(@RequestParam(name = "page", defaultValue = "0") int page,
                                           @RequestParam(name = "size", defaultValue = "20") int size) {
        return DeploymentView.Page.of(history.page(page, size));
    }

    @PostMapping("/api/deployments")
    public ResponseEntity<DeploymentRequests.Queued> deploy(@RequestBody DeploymentRequests.Deploy body) {
        return queued(requests.deploy(body.environment(), body.service(), body.image()));
    }

    @PostMapping("/api/rollback")
    public ResponseEntity<DeploymentRequests.Queued> rollback(@RequestBody DeploymentRequests.Rollback body) {
        return queued(requests.rollback(body.environment(), body.service(), body.to()));
    }

    private static ResponseEntity<DeploymentRequests.Queued> queued(ManualRequests.Queued queued) {
        return ResponseEntity.accepted().body(new DeploymentRequests.Queued(queued.id(), queued.environment(),
                queued.service(), queued.image(), "queued"));
    }
}
