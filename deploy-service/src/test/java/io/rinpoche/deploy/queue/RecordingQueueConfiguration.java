package io.rinpoche.deploy.queue;

import io.rinpoche.deploy.FakeEngineConfiguration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

/**
 * For the hook tests: plans go to an {@link RecordingQueue} they can read at once, instead of the
 * scheduler, and the engine is the {@link io.rinpoche.deploy.FakeEngine}.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(FakeEngineConfiguration.class)
public class RecordingQueueConfiguration {

    @Bean
    @Primary
    RecordingQueue recordingQueue() {
        return new RecordingQueue();
    }
}
