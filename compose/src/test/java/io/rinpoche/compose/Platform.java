package io.rinpoche.compose;

import io.rinpoche.testing.Command;
import io.rinpoche.testing.RinpocheImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The repository's `./platform` script, run as a user would with some environment of its own. */
final class Platform {

    private final Path root;
    private final Map<String, String> environment;

    Platform(Map<String, String> environment) {
        this(RinpocheImages.root(), environment);
    }

    private Platform(Path root, Map<String, String> environment) {
        this.root = root;
        this.environment = Map.copyOf(environment);
    }

    /** The same platform (environment, state directory, prefix) run from another checkout of the repository. */
    Platform in(Path checkout) {
        return new Platform(checkout, environment);
    }

    Command run(Duration timeout, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(root.resolve("platform").toString());
        argv.addAll(List.of(args));
        return Command.run(timeout, environment, argv);
    }
}
