package io.rinpoche.deploy.rollout;

import io.rinpoche.deploy.model.ImageRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The versions of the example app a rollout stack builds and hands out one at a time: v1, which the stack starts on,
 * good versions v2..v{versions}, versions whose app exits at once on SIGTERM (abrupt1..abrupt{abrupt}), one that is
 * never healthy and one that exits, plus any a stack adds; each stack says how one is built (and pushed).
 */
public final class TestVersions {

    /** Builds image {@code tag} of the stack's repository from a Dockerfile. */
    @FunctionalInterface
    public interface Build {
        void build(String tag, String dockerfile) throws Exception;
    }

    private final String repository;
    private final int versions;
    private final int abrupt;
    private final AtomicInteger next = new AtomicInteger(2);
    private final AtomicInteger nextAbrupt = new AtomicInteger(1);

    /** {@code repository} is what a version's reference starts with, e.g. {@code registry:5000/run/app}. */
    public TestVersions(String repository, int versions, int abrupt) {
        this.repository = repository;
        this.versions = versions;
        this.abrupt = abrupt;
    }

    public ImageRef version(int n) {
        return ImageRef.parse(repository + ":v" + n);
    }

    public ImageRef tagged(String tag) {
        return ImageRef.parse(repository + ":" + tag);
    }

    public ImageRef next() {
        int n = next.getAndIncrement();
        if (n > versions) {
            throw new IllegalStateException("only " + versions + " versions were built; build more");
        }
        return version(n);
    }

    public ImageRef nextThatExitsOnSigterm() {
        int n = nextAbrupt.getAndIncrement();
        if (n > abrupt) {
            throw new IllegalStateException("only " + abrupt + " abrupt versions were built; build more");
        }
        return tagged("abrupt" + n);
    }

    /**
     * Builds every version but v1 from {@code from} (a Dockerfile's first line), four at a time, and the stack's
     * {@code more} (tag -> Dockerfile lines after {@code from}).
     */
    public void buildAll(String from, Map<String, String> more, Build build) throws Exception {
        Map<String, String> dockerfiles = new LinkedHashMap<>();
        for (int n = 2; n <= versions; n++) {
            dockerfiles.put("v" + n, "ENV APP_VERSION=v" + n + "\nLABEL io.example.version=v" + n + "\n");
        }
        // The example app's benchmark mode: its workers exit at once on SIGTERM, dropping requests in flight.
        for (int n = 1; n <= abrupt; n++) {
            dockerfiles.put("abrupt" + n, "ENV APP_VERSION=abrupt" + n + " HELLO_EXIT_ON_SIGTERM=1\n");
        }
        // Answers on port 8000 like the others, but its health check never passes: within the 60 s start period
        // failures do not count, so the engine keeps it "starting" and the rollout's deadline decides.
        dockerfiles.put("unhealthy", "ENV APP_VERSION=unhealthy\n"
                + "HEALTHCHECK --interval=1s --timeout=2s --start-period=60s --start-interval=1s --retries=3 "
                + "CMD [\"python3\", \"-c\", \"print('this image is never healthy'); exit(1)\"]\n");
        // The settings helper refuses a boolean it cannot read: the entrypoint exits 1 before gunicorn starts.
        dockerfiles.put("exits", "ENV APP_VERSION=exits DJANGO_DEBUG=maybe\n");
        dockerfiles.putAll(more);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> builds = new ArrayList<>();
            dockerfiles.forEach((tag, lines) -> builds.add(pool.submit(() -> {
                build.build(tag, from + "\n" + lines);
                return null;
            })));
            for (Future<?> done : builds) {
                done.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
