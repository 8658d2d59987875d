package io.rinpoche.deploy.queue;

import io.rinpoche.deploy.history.Deployment;
import io.rinpoche.deploy.history.Intent;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ServiceName;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Records submitted intents in memory, in order, and deploys nothing: the hook tests check what reaches the queue. */
public class RecordingQueue implements DeployQueue {

    private final List<Intent> intents = new CopyOnWriteArrayList<>();

    @Override
    public void submit(Intent intent) {
        intents.add(intent);
    }

    @Override
    public void resume(Intent intent) {
        intents.add(intent);
    }

    @Override
    public boolean busy(Environment environment, ServiceName service) {
        return false;
    }

    // Nothing rolls here, so there is no outcome to tell.
    @Override
    public void onOutcome(Consumer<Deployment> listener) {
    }

    /** Everything submitted so far, oldest first. */
    public List<Intent> submitted() {
        return List.copyOf(intents);
    }
}
