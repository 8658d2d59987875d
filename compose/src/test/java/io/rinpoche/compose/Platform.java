package io.rinpoche.compose;

import io.rinpoche.testing.Command;
import io.rinpoche.testing.RinpocheImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The repository's `./platform` script, run as a user would with some environment of its own. */
final class Platform {

    private final Map<String, String> environment;

    Platform(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    Command run(Duration timeout, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(RinpocheImages.root().resolve("platform").toString());
        argv.addAll(List.of(args));
        return Command.run(timeout, environment, argv);
    }
}
