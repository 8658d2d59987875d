package io.rinpoche.deploy.plan;

import io.rinpoche.deploy.model.DeploymentPlan;

/**
 * Where accepted plans go. The rollout engine will implement it (serialized and coalesced per
 * service); until then {@link InMemoryDeploymentQueue} records them.
 */
public interface DeploymentQueue {

    /** Takes a plan for execution; returns at once, the rollout happens later. */
    void submit(DeploymentPlan plan);
}
