package io.rinpoche.deploy.rollout.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What a rollout's reason may quote of a container's output: never the values of its secrets. */
class EnvSecretsTest {

    private static JsonNode container(String... env) {
        var node = JsonMapper.builder().build().createObjectNode();
        var list = node.putObject("Config").putArray("Env");
        for (String entry : env) {
            list.add(entry);
        }
        return node;
    }

    @Test
    void secretLookingVariablesAreMaskedInTheText() {
        EnvSecrets secrets = EnvSecrets.of(container("DJANGO_SECRET_KEY=s3cr3t-django-key", "MYSQL_PASSWORD=pw-123456",
                "REDIS_PASSWORD=pw-123456-long", "DATABASE_HOST=mysql", "APP_VERSION=develop-abc1234",
                "HOOK_TOKEN=tok=with=equals", "API_KEY=short"));

        String reason = secrets.redact("ImproperlyConfigured: SECRET_KEY='s3cr3t-django-key' | "
                + "connect(user=app, password=pw-123456-long) failed | pw-123456 | token tok=with=equals | host mysql"
                + " | version develop-abc1234 | short");

        assertThat(reason).doesNotContain("s3cr3t-django-key", "pw-123456", "tok=with=equals")
                .contains("SECRET_KEY='******'", "password=******)", "host mysql", "version develop-abc1234")
                .endsWith("| short"); // too short to be a generated secret, and masking it would blank ordinary words
    }

    @Test
    void theFilesOfSecretLookingFileVariablesAreReadAndTheirContentsMasked() {
        JsonNode container = container("DJANGO_SECRET_KEY_FILE=/run/secrets/KEY", "DATABASE_PASSWORD_FILE=/run/secrets/DB",
                "REDIS_ACL_FILE=/etc/redis/users.acl", "API_TOKEN_FILE=relative/path", "MYSQL_PASSWORD=pw-in-env");

        assertThat(EnvSecrets.files(container)).containsExactly("/run/secrets/KEY", "/run/secrets/DB");
        EnvSecrets secrets = EnvSecrets.of(container).and(List.of("key-from-the-file\n", "db-password-file", "short"));
        assertThat(secrets.redact("key-from-the-file db-password-file pw-in-env /run/secrets/KEY short"))
                .isEqualTo("****** ****** ****** /run/secrets/KEY short");
    }

    @Test
    void aContainerWithoutEnvironmentHasNothingToMask() {
        assertThat(EnvSecrets.of(container()).redact("nothing to hide")).isEqualTo("nothing to hide");
        assertThat(EnvSecrets.of(JsonMapper.builder().build().createObjectNode()).redact("x")).isEqualTo("x");
    }
}
