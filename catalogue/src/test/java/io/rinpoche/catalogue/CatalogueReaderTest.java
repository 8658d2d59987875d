package io.rinpoche.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogueReaderTest {

    private static final List<String> ENVS = List.of("production", "staging");

    @TempDir
    Path root;

    @Test
    void theRepositorysCatalogueIsValid() {
        Path repository = Path.of(System.getProperty("user.dir")).getParent();
        List<App> apps = new CatalogueReader(repository, ENVS).read(repository.resolve("apps"));

        assertThat(apps).extracting(App::name).contains("hello-django");
        App hello = apps.stream().filter(app -> app.name().equals("hello-django")).findFirst().orElseThrow();
        assertThat(hello.code()).isEqualTo(repository.resolve("examples/hello-django"));
        assertThat(hello.routes().get("staging").hosts()).contains("127.0.0.1");
    }

    @Test
    void aMinimalEntryGetsTheDefaults() throws IOException {
        app("shop", """
                name: shop
                environments:
                  staging:
                    hosts: shop.example.com
                """);

        App shop = read().get(0);

        assertThat(shop.image()).isEqualTo("shop");
        assertThat(shop.replicas()).isEqualTo(1);
        assertThat(shop.health()).isEqualTo("/healthz");
        assertThat(shop.routes()).containsOnlyKeys("staging");
        assertThat(shop.routes().get("staging").prefix()).isEqualTo("/");
        assertThat(shop.releases()).containsExactly(new App.Release("staging", "glob", "develop-*"),
                new App.Release("production", "semver", "*"), new App.Release("production", "glob", "master-*"));
        assertThat(shop.key()).isEqualTo("SHOP");
    }

    @Test
    void anUnknownKeyIsNamedWithFileAndLine() throws IOException {
        app("shop", """
                name: shop
                environments:
                  staging:
                    hots: [shop.example.com]
                """);

        assertThat(errors()).containsExactly(
                "apps/shop/app.yaml:4: unknown key 'hots' in environments.staging (known: analysis, hosts, prefix, replicas)",
                "apps/shop/app.yaml:4: environments.staging needs hosts (the host names it answers to)");
    }

    @Test
    void anUnknownEnvironmentAndAMisspelledTopKeyAreErrors() throws IOException {
        app("shop", """
                name: shop
                replica: 2
                environments:
                  staging: {hosts: [a.example.com]}
                  qa: {hosts: [b.example.com]}
                """);

        assertThat(errors()).containsExactly(
                "apps/shop/app.yaml:2: unknown key 'replica' in the app (known: environments, health, image, name, path, release, replicas, settings)",
                "apps/shop/app.yaml:5: unknown key 'qa' in environments (known: production, staging)");
    }

    @Test
    void aDuplicateHostNamesBothApps() throws IOException {
        app("shop", "name: shop\nenvironments:\n  staging:\n    hosts: [www.example.com]\n");
        app("blog", "name: blog\nenvironments:\n  staging:\n    hosts: [blog.example.com, www.example.com]\n");

        assertThat(errors()).containsExactly("apps/shop/app.yaml:4: duplicate host: www.example.com in staging is already "
                + "routed to blog (apps/blog/app.yaml:4)");
    }

    @Test
    void oneHostWithTwoPrefixesIsFine() throws IOException {
        app("shop", "name: shop\nenvironments:\n  staging:\n    hosts: [www.example.com]\n    prefix: /shop\n");
        app("blog", "name: blog\nenvironments:\n  staging:\n    hosts: [www.example.com]\n");

        assertThat(read()).hasSize(2);
    }

    @Test
    void badPatternsAreNamed() throws IOException {
        app("shop", """
                name: shop
                environments:
                  production: {hosts: [shop.example.com]}
                release:
                  production:
                    - match: regex
                      tag: "v(1"
                    - match: semver
                      tag: "^1.x || banana"
                    - tag: "release/*"
                    - match: fuzzy
                      tag: "*"
                """);

        assertThat(errors()).containsExactly(
                "apps/shop/app.yaml:7: bad regex pattern 'v(1': Unclosed group",
                "apps/shop/app.yaml:9: bad semver pattern '^1.x || banana': not a semver range such as *, ^1.2, >=1.0.0 <2.0.0",
                "apps/shop/app.yaml:10: bad glob pattern 'release/*': a tag glob uses letters, digits, '_', '.', '-', '*' and '?'",
                "apps/shop/app.yaml:11: match 'fuzzy' is not one of glob, regex, semver");
    }

    @Test
    void clashingNamesAreRefused() throws IOException {
        app("mysql", "name: mysql\nenvironments:\n  staging: {hosts: [db.example.com]}\n");
        app("shop", "name: shopping\nenvironments:\n  staging: {hosts: [shop.example.com]}\n");
        app("blog", "name: blog\nimage: team/web\nenvironments:\n  staging: {hosts: [blog.example.com]}\n");
        app("news", "name: news\nimage: team/web\nenvironments:\n  staging: {hosts: [news.example.com]}\n");

        assertThat(errors()).satisfiesExactly(
                e -> assertThat(e).startsWith("apps/mysql/app.yaml:1: the name 'mysql' is taken by the platform"),
                e -> assertThat(e).isEqualTo("apps/news/app.yaml:1: image 'team/web' is already the image of blog (apps/blog/app.yaml)"),
                e -> assertThat(e).isEqualTo("apps/shop/app.yaml:1: the name 'shopping' differs from its folder 'shop': name the folder after the app"));
    }

    @Test
    void badValuesAndBrokenYamlAreNamed() throws IOException {
        app("shop", """
                name: Shop_1
                replicas: many
                settings:
                  DATABASE_NAME: other
                  lower: x
                environments:
                  staging: {hosts: ["Bad Host"], prefix: /shop/}
                """);
        app("blog", "name: blog\nenvironments: [\n");

        assertThat(errors()).containsExactly(
                "apps/blog/app.yaml:3: not valid YAML: expected the node content, but found '<stream end>'",
                "apps/shop/app.yaml:1: name 'Shop_1' is not valid: 2 to 30 lower-case letters, digits and '-', starting with a letter",
                "apps/shop/app.yaml:2: replicas must be a whole number from 1 to 20, not 'many'",
                "apps/shop/app.yaml:4: setting 'DATABASE_NAME' is set by the platform for every app",
                "apps/shop/app.yaml:5: setting 'lower' is not an environment variable name (A-Z, 0-9, _)",
                "apps/shop/app.yaml:7: host 'Bad Host' is not a host name (lower-case, e.g. shop.example.com, *.example.com or 127.0.0.1)",
                "apps/shop/app.yaml:7: prefix '/shop/' is not valid: / or a path such as /shop (no trailing /)");
    }

    @Test
    void theAnalysisSwitchIsTrueOrFalse() throws IOException {
        app("shop", "name: shop\nenvironments:\n  staging: {hosts: [a.example.com], analysis: true}\n"
                + "  production: {hosts: [a.example.com]}\n");
        assertThat(read().get(0).routes().get("staging").analysis()).isTrue();
        assertThat(read().get(0).routes().get("production").analysis()).isNull();

        app("shop", "name: shop\nenvironments:\n  staging: {hosts: [a.example.com], analysis: maybe}\n");
        assertThat(errors()).containsExactly("apps/shop/app.yaml:3: environments.staging.analysis must be true or false,"
                + " not 'maybe'");
    }

    @Test
    void aPathOutsideTheRepositoryOrWithoutDockerfileIsRefused() throws IOException {
        app("shop", "name: shop\npath: ../elsewhere\nenvironments:\n  staging: {hosts: [a.example.com]}\n");
        app("blog", "name: blog\npath: nothing-here\nenvironments:\n  staging: {hosts: [b.example.com]}\n");

        assertThat(errors()).containsExactly(
                "apps/blog/app.yaml:2: the app's folder nothing-here has no Dockerfile",
                "apps/shop/app.yaml:2: path must be a folder inside the repository, relative to its root: '../elsewhere'");
    }

    private void app(String folder, String yaml) throws IOException {
        Path dir = Files.createDirectories(root.resolve("apps").resolve(folder));
        Files.writeString(dir.resolve("app.yaml"), yaml);
        Files.writeString(dir.resolve("Dockerfile"), "FROM rinpoche/django:0.1.0\n");
    }

    private List<App> read() {
        return new CatalogueReader(root, ENVS).read(root.resolve("apps"));
    }

    private List<String> errors() {
        try {
            read();
        } catch (CatalogueException e) {
            return e.errors();
        }
        throw new AssertionError("the catalogue was accepted");
    }

    @Test
    void aMissingCatalogueFolderIsAnError() {
        assertThatThrownBy(() -> new CatalogueReader(root, ENVS).read(root.resolve("none")))
                .isInstanceOf(CatalogueException.class).hasMessageContaining("none:1: the app catalogue folder does not exist");
    }
}
