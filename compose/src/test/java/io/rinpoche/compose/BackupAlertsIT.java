package io.rinpoche.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.rinpoche.testing.Command;
import io.rinpoche.testing.RinpocheImages;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The platform's alert rules, unit-tested by promtool in the Prometheus image (compose/platform/alerts.test.yml). */
class BackupAlertsIT {

    @Test
    void theBackupAlertsFireWhenTheyShould() {
        String dir = RinpocheImages.root().resolve("compose/platform").toString();

        Command test = Command.run(Duration.ofMinutes(2), Map.of(), List.of("docker", "run", "--rm",
                "-v", dir + ":/rules:ro", "-w", "/rules", "--entrypoint", "promtool",
                RinpocheImages.image("prometheus").asCanonicalNameString(), "test", "rules", "alerts.test.yml"));

        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }
}
