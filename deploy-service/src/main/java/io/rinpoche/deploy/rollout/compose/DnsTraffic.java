package io.rinpoche.deploy.rollout.compose;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The proxy finds replicas through the service's DNS name (rinpoche/nginx resolves it per request, caching the
 * answer): a replica takes requests as soon as it listens, so the image is proven by a probe first; an old replica
 * stops once every cached answer includes its replacement, and requests in flight to it are left to the app's own
 * graceful stop (an app that exits at once on SIGTERM drops them). The engine without {@code proxy-upstreams}.
 */
final class DnsTraffic implements Traffic {

    private final Duration dnsRefresh;
    private final Clock clock;

    DnsTraffic(Duration dnsRefresh, Clock clock) {
        this.dnsRefresh = dnsRefresh;
        this.clock = clock;
    }

    @Override
    public boolean needsProbe() {
        return true;
    }

    @Override
    public void begin(List<String> replicas) {
        // The proxy already resolves the name to them.
    }

    // Until every answer a proxy may have cached for the service's name was given after `started`.
    @Override
    public void swap(String old, String fresh, Instant started) {
        Duration left = Duration.between(clock.instant(), started.plus(dnsRefresh));
        if (!left.isNegative() && !left.isZero()) {
            Readiness.sleep(left);
        }
    }

    @Override
    public void end(boolean settled) {
        // Nothing was changed.
    }
}
