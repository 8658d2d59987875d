package io.rinpoche.deploy.rollout.compose;

import java.time.Instant;
import java.util.List;

/**
 * How requests reach a service's replicas during a rollout, and so when an old replica may stop: {@link NginxUpstreams}
 * tells the proxy, {@link DnsTraffic} waits for the proxy's DNS cache.
 */
interface Traffic {

    /** Whether a new image must be proven by a probe first, because a replica takes requests as soon as it listens. */
    boolean needsProbe();

    /** Before the first new replica starts: requests go to {@code replicas} (container ids) alone. */
    void begin(List<String> replicas);

    /**
     * {@code fresh} (started at {@code started}, healthy) serves in place of {@code old}; on return no request is
     * on its way to {@code old}, which may stop.
     */
    void swap(String old, String fresh, Instant started);

    /**
     * After the last step, whatever it was: the proxy finds the service's replicas by itself again. {@code settled}: the
     * replicas routed to last keep running, so requests in flight to them need no waiting for (a rollout that threw
     * may stop them next).
     */
    void end(boolean settled);
}
