package io.rinpoche.exporters;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;

/** The node exporter: the container's view by default, the host's with /proc, /sys and / mounted under /host. */
class NodeExporterIT {

  @Test
  void containerViewWithoutMounts() throws Exception {
    try (GenericContainer<?> exporter = Exporters.exporter("node")) {
      exporter.start();
      String metrics = Exporters.metrics(exporter);

      assertThat(Exporters.samples(metrics, "node_cpu_seconds_total")).isNotEmpty();
      assertThat(Exporters.commandLines(exporter)).doesNotContain("--path.procfs");
      assertThat(Exporters.exporterUser(exporter)).isEqualTo("prometheus");
      // Debian's systemd collector is off: without the host's D-Bus it would fail at every scrape.
      assertThat(metrics).doesNotContain("collector=\"systemd\"");
      assertThat(exporter.getLogs()).doesNotContain("collector failed");
    }
  }

  @Test
  void hostViewWithTheDocumentedMounts() throws Exception {
    // Binds as a compose file writes them (withFileSystemBind would first try to pull alpine).
    try (GenericContainer<?> exporter = Exporters.exporter("node")
        .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withBinds(
            new Bind("/proc", new Volume("/host/proc"), AccessMode.ro),
            new Bind("/sys", new Volume("/host/sys"), AccessMode.ro),
            new Bind("/", new Volume("/host/root"), AccessMode.ro)))) {
      exporter.start();

      assertThat(Exporters.commandLines(exporter))
          .contains("--path.procfs=/host/proc --path.sysfs=/host/sys --path.rootfs=/host/root");
      assertThat(Exporters.samples(Exporters.metrics(exporter), "node_cpu_seconds_total")).isNotEmpty();
    }
  }

  @Test
  void healthCheckFollowsAnotherListenPort() throws Exception {
    try (GenericContainer<?> exporter = Exporters.exporter("node", "--web.listen-address=:9200")) {
      exporter.start();

      assertThat(exporter.getCurrentContainerInfo().getState().getHealth().getLog()).last()
          .satisfies(probe -> assertThat(probe.getOutput()).contains("GET :9200/metrics with HTTP/1.0 200"));
    }
  }
}
