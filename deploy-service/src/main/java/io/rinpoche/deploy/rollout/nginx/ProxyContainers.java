package io.rinpoche.deploy.rollout.nginx;

import java.util.List;

/** The two Docker calls a graceful reload of nginx needs, made by each engine through its own API client. */
public interface ProxyContainers {

    /** Sends SIGHUP to the container {@code id} (the kill endpoint with a signal: no exec). */
    void hangUp(String id);

    /** The processes of the container {@code id}, as {@code GET /containers/{id}/top} lists them. */
    Processes top(String id);

    /**
     * What {@code docker top} answers: the column titles ({@code PID}, {@code CMD} or {@code COMMAND}...) and one
     * row of values per process.
     */
    record Processes(List<String> titles, List<List<String>> rows) {
    }
}
