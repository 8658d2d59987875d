package io.rinpoche.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorTest {

    private static final List<String> ENVS = List.of("production", "staging");

    @TempDir
    Path root;

    @Test
    void generatesEachPartFromTheCatalogue() throws IOException {
        app("shop", """
                name: shop-api
                settings: {FEATURE: "a$b"}
                environments:
                  staging: {hosts: [shop.example.com], replicas: 2}
                """.replace("name: shop-api", "name: shop"));
        app("blog", """
                name: blog
                environments:
                  staging: {hosts: [www.example.com], prefix: /blog, analysis: true}
                  production: {hosts: [www.example.com], analysis: false}
                release:
                  production:
                    - {match: semver, tag: "^1"}
                """);
        Path secretsFile = root.resolve("secrets.env");
        Files.writeString(secretsFile, "STAGING_MYSQL_PASSWORD=m\nSTAGING_REDIS_PASSWORD=r\n");
        List<App> apps = new CatalogueReader(root, ENVS).read(root.resolve("apps"));
        Secrets secrets = Secrets.read(secretsFile);
        secrets.ensure(apps, ENVS);
        Generator generator = new Generator(apps, "0.1.0");

        assertThat(Files.readAllLines(secretsFile)).hasSize(2 + 2 * 2 * 3).contains("STAGING_MYSQL_PASSWORD=m")
                .anyMatch(line -> line.matches("STAGING_SHOP_DATABASE_PASSWORD=[A-Za-z0-9]{32}"));
        String compose = generator.compose("staging");
        assertThat(compose).contains("  shop:\n", "image: ${SHOP_IMAGE:-rinpoche/shop:0.1.0}",
                "DATABASE_PASSWORD_FILE: \"/run/secrets/SHOP_DATABASE_PASSWORD\"", "DATABASE_NAME: \"shop\"",
                "    secrets:\n      - SHOP_SECRET_KEY\n      - SHOP_DATABASE_PASSWORD\n      - SHOP_REDIS_PASSWORD\n",
                "\nsecrets:\n", "\n  SHOP_SECRET_KEY:\n    file: \"${RINPOCHE_SECRETS:?run ./platform up}/SHOP_SECRET_KEY\"\n",
                "REDIS_USER: \"shop\"", "CACHE_KEY_PREFIX: \"shop\"", "FEATURE: \"a$$b\"", "replicas: 2", "  blog:\n");
        assertThat(compose).contains("URL_PREFIX: \"/blog\"");
        assertThat(compose).doesNotContain("DATABASE_PASSWORD: ", "REDIS_PASSWORD: ", "DJANGO_SECRET_KEY: ");
        assertThat(generator.compose("production")).contains("  blog:\n").doesNotContain("shop", "URL_PREFIX");
        // For docker stack deploy: the same services, found by DNS round robin, without what swarm lacks.
        assertThat(generator.stack("staging")).contains("  shop:\n", "image: ${SHOP_IMAGE:-rinpoche/shop:0.1.0}",
                        "    deploy:\n      replicas: 2\n      endpoint_mode: dnsrr\n", "\n  SHOP_SECRET_KEY:\n")
                .doesNotContain("depends_on", "restart:");
        assertThat(compose).doesNotContain("endpoint_mode");
        assertThat(generator.nginx("staging")).contains("listen 80 default_server;", "return 404 '<!doctype html>",
                "server_name shop.example.com;", "set $app_upstream http://shop:8000;",
                "include /etc/nginx/upstreams/*.upstream;", "include /etc/nginx/upstreams/shop[.]route;", "keepalive_timeout 0;", "location ^~ /blog/ {", "rewrite ^/blog(/.*)$ $1 break;",
                "server_name www.example.com;");
        assertThat(generator.redisUsers("staging", secrets)).startsWith("user default on #" + Generator.sha256("r") + " ~* &* +@all\n")
                .contains("user shop on #" + Generator.sha256(secrets.get("STAGING_SHOP_REDIS_PASSWORD")) + " ~shop:* &shop:* +@all -@dangerous")
                .doesNotContain(secrets.get("STAGING_SHOP_REDIS_PASSWORD"));
        assertThat(generator.databases("staging", secrets)).contains("CREATE DATABASE IF NOT EXISTS `shop`",
                "GRANT ALL PRIVILEGES ON `shop`.* TO 'shop'@'%';", "CREATE USER IF NOT EXISTS 'exporter'@'%' IDENTIFIED BY 'm';");
        assertThat(generator.deployRules()).contains("name: \"shop/staging-1\"", "tag: \"develop-*\"", "service: shop",
                "name: \"blog/production-1\"", "match: semver", "tag: \"^1\"").doesNotContain("blog/staging");
        // The analysis after a deploy: the route's switch on each of its environment's rules; none, the default.
        assertThat(generator.deployRules()).contains("tag: \"^1\"\n        environment: production\n        service: blog\n"
                + "        analysis: false\n").endsWith("service: shop\n").doesNotContain("analysis: true");
    }

    @Test
    void jenkinsGetsEveryAppWhoseCodeIsInTheRepository(@TempDir Path elsewhere) throws IOException {
        app("shop", "name: shop\nimage: team/shop\nenvironments:\n  staging: {hosts: [shop.example.com]}\n");
        Files.createDirectories(elsewhere.resolve("blog"));
        // An apps folder outside the repository (RINPOCHE_APPS_DIR), as the tests use.
        Files.writeString(elsewhere.resolve("blog/app.yaml"), "name: blog\nenvironments:\n  staging: {hosts: [blog.example.com]}\n");
        Files.writeString(elsewhere.resolve("blog/Dockerfile"), "FROM rinpoche/django:0.1.0\n");
        List<App> apps = new ArrayList<>(new CatalogueReader(root, ENVS).read(root.resolve("apps")));
        apps.addAll(new CatalogueReader(root, ENVS).read(elsewhere));

        assertThat(new Generator(apps, "0.1.0").jenkinsJobs(root).lines().filter(line -> !line.startsWith("#")))
                .containsExactly("shop\tapps/shop\tteam/shop");
        assertThat(new Generator(apps, "0.1.0").jenkinsJobs(root)).contains("# blog: no jobs, its code " + elsewhere.resolve("blog"));
    }

    private void app(String folder, String yaml) throws IOException {
        Path dir = Files.createDirectories(root.resolve("apps").resolve(folder));
        Files.writeString(dir.resolve("app.yaml"), yaml);
        Files.writeString(dir.resolve("Dockerfile"), "FROM rinpoche/django:0.1.0\n");
    }
}
