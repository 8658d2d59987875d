package io.rinpoche.deploy.rollout.compose;

import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.rollout.registry.RegistryApi;
import io.rinpoche.deploy.rollout.registry.RegistryLogin;
import java.time.Duration;
import java.util.Arrays;

/**
 * What the tag check costs a hook's rollout: a rinpoche/registry of its own (htpasswd), one small image pushed, then
 * {@code n} lookups of its tag through {@link RegistryApi} (manifest HEAD with Basic credentials), timed one by one.
 * Prints p50, p95 and max. Needs the Docker engine and the rinpoche/registry image of IMAGE_TAG.
 */
public final class TagCheckBenchmark {

    private TagCheckBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        try (TestRegistry registry = TestRegistry.start()) {
            String digest = registry.push("rinpoche/registry:" + io.rinpoche.testing.RinpocheImages.tag(),
                    "bench/tag-check:1");
            RegistryApi api = new RegistryApi(new RegistryLogin(registry.address(), TestRegistry.USER,
                    registry.password(), null), Duration.ofSeconds(10));
            ImageRef image = ImageRef.parse(registry.address() + "/bench/tag-check:1");
            for (int i = 0; i < 20; i++) {
                api.digest(image); // warm-up: class loading, the client's connection
            }
            double[] millis = new double[n];
            for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                if (!api.digest(image).value().equals(digest)) {
                    throw new IllegalStateException("the registry named another digest than the push");
                }
                millis[i] = (System.nanoTime() - start) / 1e6;
            }
            Arrays.sort(millis);
            System.out.printf("tag check (manifest HEAD, Basic auth, rinpoche/registry on loopback), %d lookups:"
                    + " p50 %.1f ms, p95 %.1f ms, max %.1f ms%n", n, millis[n / 2], millis[(int) (n * 0.95)], millis[n - 1]);
        }
    }
}
