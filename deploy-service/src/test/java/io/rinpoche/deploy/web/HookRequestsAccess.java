package io.rinpoche.deploy.web;

import io.rinpoche.deploy.TestPayloads;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** The hook requests of this package for tests elsewhere. */
public final class HookRequestsAccess {

    /** The hook token the requests carry: a test's {@code HOOK_TOKEN} property must be this. */
    public static final String HOOK_TOKEN = HookRequests.HOOK_TOKEN;

    private HookRequestsAccess() {
    }

    /** The sample distribution push ({@code hello-django:develop-abc123}), authenticated for source {@code registry}. */
    public static MockHttpServletRequestBuilder registryPush() {
        return HookRequests.authentic("registry", TestPayloads.bytes("distribution-push.json"));
    }

    /** A distribution push of {@code hello-django:develop-<n>} with its own digest and event id, for source {@code registry}. */
    public static MockHttpServletRequestBuilder registryPush(int n) {
        return HookRequests.authentic("registry", HookToRolloutTest.push(n, "evt-" + n));
    }
}
