package io.rinpoche.backup;

import io.rinpoche.testing.Command;
import io.rinpoche.testing.RinpocheImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Backup and restore of one environment whose database has grown to N rows (default 1,000,000): the first and an
 * incremental backup (time, size in the repository), a restore, and query latency while a backup runs. The
 * environment is a rinpoche/mysql and a rinpoche/redis container carrying the compose labels of a project
 * {@code <prefix>-bench}, which is how rinpoche-backup finds an environment. Prints figures; asserts nothing.
 *
 * <pre>
 * mvn -B -q -f services/backup/pom.xml test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.rinpoche.backup.BackupBenchmark -Dexec.args="1000000"
 * </pre>
 */
public final class BackupBenchmark {

    private static final String PASSWORD = "bench-" + UUID.randomUUID();
    private final String prefix = "rinpoche-bench-" + UUID.randomUUID().toString().substring(0, 6);
    private final List<String> containers = new ArrayList<>();
    private Path dir;

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        BackupBenchmark bench = new BackupBenchmark();
        try {
            bench.run(rows);
        } finally {
            bench.cleanUp();
        }
    }

    private void run(int rows) throws Exception {
        dir = Files.createTempDirectory("rinpoche-backup-bench");
        Files.createDirectories(dir.resolve("repository"));
        Files.createDirectories(dir.resolve("volumes/registry-data"));
        Files.writeString(dir.resolve("key"), PASSWORD);
        git("init", "-q", "--bare", dir.resolve("volumes/deploy-data/state").toString());
        int port = start("mysql", "-e", "MYSQL_ROOT_PASSWORD=" + PASSWORD, "-e", "MYSQL_DATABASE=app",
                "-e", "MYSQL_USER=app", "-e", "MYSQL_PASSWORD=" + PASSWORD, "-p", "127.0.0.1::3306");
        start("redis", "-e", "REDIS_PASSWORD=" + PASSWORD);
        String url = "jdbc:mysql://127.0.0.1:" + port + "/app?sslMode=DISABLED&allowPublicKeyRetrieval=true";
        try (Connection db = DriverManager.getConnection(url, "app", PASSWORD)) {
            long filled = System.nanoTime();
            fill(db, rows);
            System.out.printf("database: %,d rows in %.1f s%n", rows, seconds(filled));

            Latency idle = Latency.during(url, () -> sleep(Duration.ofSeconds(10)));
            long[] first = new long[1];
            Latency busy = Latency.during(url, () -> first[0] = backup());
            System.out.printf("first backup: %.1f s, repository %s%n", first[0] / 1e9, mb(size(dir.resolve("repository"))));
            System.out.printf("query latency idle:          %s%n", idle);
            System.out.printf("query latency during backup: %s%n", busy);

            try (Statement change = db.createStatement()) {
                change.executeUpdate("UPDATE log SET payload = MD5(RAND()) WHERE id % 100 = 0");
            }
            long before = size(dir.resolve("repository"));
            long second = backup();
            System.out.printf("incremental backup (1%% of the rows changed, spread over the table): %.1f s, +%s in the repository%n", second / 1e9,
                    mb(size(dir.resolve("repository")) - before));

            try (Statement append = db.createStatement()) {
                append.executeUpdate("INSERT INTO log SELECT " + rows + " + seq, '/new', NOW(), MD5(seq) FROM seq_1_to_"
                        + rows / 100);
            }
            before = size(dir.resolve("repository"));
            long third = backup();
            System.out.printf("incremental backup (1%% more rows, appended): %.1f s, +%s in the repository%n", third / 1e9,
                    mb(size(dir.resolve("repository")) - before));

            long restore = timed("restore", "--env", "bench");
            System.out.printf("restore of the environment: %.1f s%n", restore / 1e9);
        }
        try (Connection db = DriverManager.getConnection(url, "app", PASSWORD); Statement count = db.createStatement();
             ResultSet result = count.executeQuery("SELECT COUNT(*) FROM log")) {
            result.next();
            System.out.printf("rows after the restore: %,d%n", result.getLong(1));
        }
    }

    /** A log table of {@code rows} rows of about 100 bytes, made by MariaDB's sequence engine. */
    private static void fill(Connection db, int rows) throws SQLException {
        try (Statement sql = db.createStatement()) {
            sql.execute("CREATE TABLE log (id INT PRIMARY KEY, path VARCHAR(100), at DATETIME, payload CHAR(32))");
            sql.execute("INSERT INTO log SELECT seq, CONCAT('/page/', seq % 1000), NOW() - INTERVAL seq SECOND, MD5(seq)"
                    + " FROM seq_1_to_" + rows);
        }
    }

    private long backup() {
        return timed("backup");
    }

    private long timed(String... args) {
        long started = System.nanoTime();
        List<String> argv = new ArrayList<>(List.of("docker", "run", "--rm",
                "-v", "/var/run/docker.sock:/var/run/docker.sock",
                "-v", dir.resolve("repository") + ":/repository",
                "-v", dir.resolve("key") + ":/run/secrets/restic-password:ro",
                "-v", dir.resolve("volumes") + ":/volumes",
                "-e", "RINPOCHE_PROJECT_PREFIX=" + prefix, "-e", "RINPOCHE_ENVIRONMENTS=bench",
                RinpocheImages.image("backup").asCanonicalNameString()));
        argv.addAll(List.of(args));
        Command run = Command.run(Duration.ofMinutes(30), Map.of(), argv);
        if (run.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", args) + " failed: " + run.output());
        }
        return System.nanoTime() - started;
    }

    /** Starts rinpoche/{@code service} as that service of the project {@code <prefix>-bench}; returns its mapped 3306 or 0. */
    private int start(String service, String... options) throws InterruptedException {
        List<String> argv = new ArrayList<>(List.of("run", "-d", "--name", prefix + "-" + service,
                "--label", "com.docker.compose.project=" + prefix + "-bench",
                "--label", "com.docker.compose.service=" + service));
        argv.addAll(List.of(options));
        argv.add(RinpocheImages.image(service).asCanonicalNameString());
        containers.add(Command.docker(argv.toArray(String[]::new)).get(0));
        for (int i = 0; i < 120 && !Command.docker("inspect", "-f", "{{.State.Health.Status}}", prefix + "-" + service)
                .get(0).equals("healthy"); i++) {
            Thread.sleep(1000);
        }
        if (!service.equals("mysql")) {
            return 0;
        }
        String mapped = Command.docker("port", prefix + "-" + service, "3306").get(0);
        return Integer.parseInt(mapped.substring(mapped.lastIndexOf(':') + 1));
    }

    private void cleanUp() throws IOException {
        for (String id : containers) {
            Command.run(Duration.ofMinutes(1), Map.of(), List.of("docker", "rm", "-f", "-v", id));
        }
        if (dir != null) {
            // The restore and backups wrote files as root in the repository: remove them the same way.
            Command.run(Duration.ofMinutes(2), Map.of(), List.of("rm", "-rf", dir.toString()));
        }
    }

    private static void git(String... args) {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        Command run = Command.run(Duration.ofMinutes(1), Map.of(), argv);
        if (run.exitCode() != 0) {
            throw new IllegalStateException("git failed: " + run.output());
        }
    }

    private static long size(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Point reads and counter updates on one connection while {@code work} runs: percentiles and failures. */
    private record Latency(List<Long> nanos, int failed) {

        static Latency during(String url, Runnable work) throws Exception {
            List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean running = new AtomicBoolean(true);
            int[] failed = new int[1];
            Thread load = new Thread(() -> {
                try (Connection db = DriverManager.getConnection(url, "app", PASSWORD);
                     PreparedStatement read = db.prepareStatement("SELECT payload FROM log WHERE id = ?");
                     PreparedStatement write = db.prepareStatement("UPDATE log SET at = NOW() WHERE id = ?")) {
                    while (running.get()) {
                        long started = System.nanoTime();
                        try {
                            int id = ThreadLocalRandom.current().nextInt(1, 1000);
                            read.setInt(1, id);
                            read.executeQuery().close();
                            write.setInt(1, id);
                            write.executeUpdate();
                            nanos.add(System.nanoTime() - started);
                        } catch (SQLException e) {
                            failed[0]++;
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            load.start();
            try {
                work.run();
            } finally {
                running.set(false);
                load.join();
            }
            return new Latency(List.copyOf(nanos), failed[0]);
        }

        @Override
        public String toString() {
            List<Long> sorted = nanos.stream().sorted(Comparator.naturalOrder()).toList();
            if (sorted.isEmpty()) {
                return "no requests";
            }
            return String.format("%,d requests, %d failed, p50 %.1f ms, p99 %.1f ms, max %.1f ms", sorted.size(), failed,
                    at(sorted, 0.50), at(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6);
        }

        private static double at(List<Long> sorted, double quantile) {
            return sorted.get((int) Math.min(sorted.size() - 1, Math.round(quantile * sorted.size()))) / 1e6;
        }
    }
}
