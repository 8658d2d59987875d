package io.rinpoche.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.testing.Command;
import io.rinpoche.testing.RinpocheImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The platform's alerting as committed in compose/platform: the rules unit-tested by promtool (alerts.test.yml), and
 * Alertmanager's config checked by amtool, both with the tools of the Prometheus image.
 */
class AlertRulesIT {

    private static final String DIR = RinpocheImages.root().resolve("compose/platform").toString();

    @Test
    void theAlertsFireWhenTheyShould() {
        Command test = tool("promtool", "test", "rules", "alerts.test.yml");

        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void alertmanagersConfigIsValid() {
        Command check = tool("amtool", "check-config", "alertmanager.yml");

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS", "2 receivers");
    }

    private static Command tool(String tool, String... args) {
        List<String> argv = new ArrayList<>(List.of("docker", "run", "--rm", "-v", DIR + ":/rules:ro", "-w", "/rules",
                "--entrypoint", tool, RinpocheImages.image("prometheus").asCanonicalNameString()));
        argv.addAll(List.of(args));
        return Command.run(Duration.ofMinutes(2), Map.of(), argv);
    }
}
