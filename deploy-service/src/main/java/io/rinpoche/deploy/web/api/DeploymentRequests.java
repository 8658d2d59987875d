package io.rinpoche.deploy.web.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The JSON bodies of {@code POST /api/deployments} and {@code POST /api/rollback}, and their 202 answer. */
final class DeploymentRequests {

    private DeploymentRequests() {
    }

    /** {@code {"environment","service","image"}}. */
    record Deploy(String environment, String service, String image) {
    }

    /** {@code {"environment","service"}}, optionally {@code "to": "<image@digest>"}. */
    record Rollback(String environment, String service, String to) {
    }

    /** 202: the request's id (its history entry will have it) and what will be rolled where. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Queued(String id, String environment, String service, String image, String status) {
    }
}
