package io.rinpoche.deploy.rollout.swarm;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * How requests reach a service's tasks during a rollout: {@link SwarmUpstreams} tells the proxy which tasks to route to,
 * {@link #BY_DNS} leaves it to the proxy's per-request DNS lookups and Swarm's delay before a stop signal.
 */
interface SwarmTraffic {

    /** The proxy finds the tasks by the service's DNS name throughout. */
    SwarmTraffic BY_DNS = new SwarmTraffic() {
        @Override
        public void follow(List<JsonNode> tasks) {
            // Swarm drops a stopping task from the DNS answers itself.
        }

        @Override
        public void end(boolean settled) {
            // Nothing was changed.
        }
    };

    /**
     * The service's tasks as the manager lists them now: on return requests go only to those that run and will keep
     * running for a while, and none is in flight to another.
     */
    void follow(List<JsonNode> tasks);

    /**
     * After the last step, whatever it was: the proxy finds the tasks by itself again. {@code settled}: the tasks routed
     * to last keep running, so requests in flight to them need no waiting for.
     */
    void end(boolean settled);
}
