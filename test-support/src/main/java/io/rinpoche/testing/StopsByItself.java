package io.rinpoche.testing;

import com.github.dockerjava.api.DockerClient;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.utility.DockerStatus;

/**
 * Counts a container as started once it has exited, so a test can read the exit code and output of
 * an entrypoint that is expected to refuse its configuration.
 */
public final class StopsByItself extends StartupCheckStrategy {

  /** Starts the container, waits until it exits and returns its exit code; its logs stay readable. */
  public static long exitCode(GenericContainer<?> container) {
    container.withStartupCheckStrategy(new StopsByItself()).start();
    return container.getCurrentContainerInfo().getState().getExitCodeLong();
  }

  @Override
  public StartupStatus checkStartupState(DockerClient docker, String containerId) {
    return DockerStatus.isContainerStopped(getCurrentState(docker, containerId))
        ? StartupStatus.SUCCESSFUL
        : StartupStatus.NOT_YET_KNOWN;
  }
}
