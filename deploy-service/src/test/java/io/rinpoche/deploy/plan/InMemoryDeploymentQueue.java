package io.rinpoche.deploy.plan;

import io.rinpoche.deploy.model.DeploymentPlan;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records submitted plans in memory, in order, and deploys nothing: the hook tests check what reaches the queue. */
public final class InMemoryDeploymentQueue implements DeploymentQueue {

    private final List<DeploymentPlan> plans = new CopyOnWriteArrayList<>();

    @Override
    public void submit(DeploymentPlan plan) {
        plans.add(plan);
    }

    /** Everything submitted so far, oldest first. */
    public List<DeploymentPlan> submitted() {
        return List.copyOf(plans);
    }
}
