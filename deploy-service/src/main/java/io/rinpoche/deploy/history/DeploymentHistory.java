package io.rinpoche.deploy.history;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Every accepted request and every finished rollout, newest first. The service keeps it in git
 * ({@code state.GitDeploymentHistory}: a commit per intent and per outcome); the tests of the queue keep it in
 * memory.
 */
public interface DeploymentHistory {

    /** Largest page size a caller may ask for. */
    int MAX_PAGE_SIZE = 100;

    /**
     * Records an accepted request before it is rolled; when this returns, the request survives a crash.
     *
     * @throws HistoryException when it could not be recorded
     */
    void intend(Intent intent);

    /**
     * Records a finished rollout; it becomes the newest entry.
     *
     * @throws HistoryException when it could not be recorded
     */
    void append(Deployment deployment);

    /**
     * Page {@code page} (from 0) of {@code size} (1 to {@link #MAX_PAGE_SIZE}) entries, newest first; past
     * the end it is empty.
     */
    DeploymentPage page(int page, int size);

    /** Refuses a page number below 0 or a size outside 1 to {@link #MAX_PAGE_SIZE}, as {@link #page} must. */
    static void checkPage(int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page must be >= 0 and size between 1 and " + MAX_PAGE_SIZE
                    + ", not page " + page + ", size " + size);
        }
    }

    /** The newest entry that {@code filter} accepts, paging back as far as it must. */
    default Optional<Deployment> newest(Predicate<Deployment> filter) {
        for (int number = 0; ; number++) {
            DeploymentPage page = page(number, MAX_PAGE_SIZE);
            Optional<Deployment> found = page.items().stream().filter(filter).findFirst();
            if (found.isPresent() || page.items().size() < MAX_PAGE_SIZE) {
                return found;
            }
        }
    }
}
