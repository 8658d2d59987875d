package io.rinpoche.deploy.history;

import java.util.List;

/**
 * One page of the history, newest first.
 *
 * @param page the page number, from 0
 * @param size the page size asked for ({@code items} may hold fewer on the last page)
 * @param total how many deployments the history holds
 */
public record DeploymentPage(List<Deployment> items, int page, int size, long total) {

    public DeploymentPage {
        items = List.copyOf(items);
    }
}
