package io.rinpoche.deploy;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Puts a {@link FakeEngine} in front of the compose engine: a test context then never reaches the Docker
 * engine (on this host it runs real stacks named like the defaults).
 */
@TestConfiguration(proxyBeanMethods = false)
public class FakeEngineConfiguration {

    @Bean
    @Primary
    FakeEngine fakeEngine() {
        return new FakeEngine();
    }
}
