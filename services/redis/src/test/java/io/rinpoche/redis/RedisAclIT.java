package io.rinpoche.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.testcontainers.images.builder.Transferable;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * REDIS_ACL_FILE, as the platform uses it for several apps: each app's user reaches only its own keys and runs no
 * dangerous command; the default user keeps the password; ACL LOAD rereads the file without a restart.
 */
class RedisAclIT {

    private static final String PASSWORD = "default-password-for-the-acl-test";
    private static final String SHOP = "shop-password-for-the-acl-test";

    @Test
    void eachAppUserIsLimitedToItsKeyPrefix() throws Exception {
        String acl = "user default on #" + sha256(PASSWORD) + " ~* &* +@all\n"
                + "user shop on #" + sha256(SHOP) + " ~shop:* &shop:* +@all -@dangerous\n";
        try (var redis = Redis.container().withEnv("REDIS_PASSWORD", PASSWORD)
                .withEnv("REDIS_ACL_FILE", "/etc/rinpoche/redis/users.acl")
                .withCopyToContainer(Transferable.of(acl, 0644), "/etc/rinpoche/redis/users.acl")) {
            redis.start();
            try (Jedis shop = as(redis, "shop", SHOP); Jedis admin = Redis.client(redis, PASSWORD)) {
                assertThat(shop.set("shop:1:cart", "3")).isEqualTo("OK");
                assertThatThrownBy(() -> shop.set("blog:1:post", "x")).hasMessageContaining("NOPERM");
                assertThatThrownBy(shop::flushAll).hasMessageContaining("NOPERM");
                admin.set("blog:1:post", "kept");

                Redis.shell(redis, "printf 'user blog on #%s ~blog:* +@all -@dangerous\\n' " + sha256("blog-password-acl-test")
                        + " >> /etc/rinpoche/redis/users.acl && REDISCLI_AUTH=$REDIS_PASSWORD redis-cli ACL LOAD");
                try (Jedis blog = as(redis, "blog", "blog-password-acl-test")) {
                    assertThat(blog.get("blog:1:post")).isEqualTo("kept");
                }
            }
            assertThat(Redis.health(redis).getStatus()).isEqualTo("healthy");
        }
    }

    private static Jedis as(org.testcontainers.containers.GenericContainer<?> redis, String user, String password) {
        var config = DefaultJedisClientConfig.builder().user(user).password(password).timeoutMillis(5000).build();
        return new Jedis(new HostAndPort(redis.getHost(), redis.getMappedPort(Redis.PORT)), config);
    }

    private static String sha256(String value) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    }
}
