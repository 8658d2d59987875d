package io.rinpoche.deploy.plan;

import io.rinpoche.deploy.model.DeploymentPlan;

/**
 * Where accepted plans go: {@code apply.RolloutScheduler} rolls them, serialized and coalesced per
 * service. The policy and the hooks know only this interface.
 */
public interface DeploymentQueue {

    /** Takes a plan for execution; returns at once, the rollout happens later. */
    void submit(DeploymentPlan plan);
}
