package io.rinpoche.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScaffoldTest {

    private static final Path REPOSITORY = Path.of(System.getProperty("user.dir")).getParent();
    private static final List<String> ENVS = List.of("production", "staging");

    @TempDir
    Path apps;

    @Test
    void newAppMakesADjangoProjectAndItsCatalogueEntry() throws IOException {
        Scaffold.create("shop-api", REPOSITORY, apps, ENVS);

        Path app = apps.resolve("shop-api");
        assertThat(app.resolve("Dockerfile")).content().contains("FROM ${BASE_IMAGE}", "ARG BASE_IMAGE=registry:5000/rinpoche/django:${RINPOCHE_TAG}",
                "DJANGO_SETTINGS_MODULE=shop_api.settings");
        assertThat(app.resolve("shop_api/migrations/0001_initial.py")).exists();
        assertThat(app.resolve("shop_api/templates/shop_api/index.html")).exists();
        assertThat(app.resolve("shop_api/views.py")).content().contains("from shop_api.models import Note");
        assertThat(app.resolve(".dockerignore")).exists();
        assertThat(app.resolve("Jenkinsfile")).exists();
        assertThat(app.resolve("ci/lib.sh")).content().contains("shop-api").doesNotContain("hello-django");
        assertThat(Files.isExecutable(app.resolve("ci/build"))).isTrue();
        List<App> read = new CatalogueReader(REPOSITORY, ENVS).read(apps);
        assertThat(read).singleElement().satisfies(entry -> {
            assertThat(entry.name()).isEqualTo("shop-api");
            assertThat(entry.code()).isEqualTo(app);
            assertThat(entry.routes().get("staging").hosts()).containsExactly("shop-api.localhost");
        });
    }

    @Test
    void badOrTakenNamesCreateNothing() throws IOException {
        assertThatThrownBy(() -> Scaffold.create("Shop", REPOSITORY, apps, ENVS)).hasMessageContaining("is not an app name");
        assertThatThrownBy(() -> Scaffold.create("json", REPOSITORY, apps, ENVS)).hasMessageContaining("would hide Python's module");
        assertThatThrownBy(() -> Scaffold.create("mysql", REPOSITORY, apps, ENVS)).isInstanceOf(CatalogueException.class)
                .hasMessageContaining("the name 'mysql' is taken by the platform");
        Scaffold.create("shop", REPOSITORY, apps, ENVS);
        assertThatThrownBy(() -> Scaffold.create("shop", REPOSITORY, apps, ENVS)).hasMessageContaining("already exists");

        try (var left = Files.list(apps)) {
            assertThat(left).extracting(path -> path.getFileName().toString()).containsExactly("shop");
        }
    }
}
