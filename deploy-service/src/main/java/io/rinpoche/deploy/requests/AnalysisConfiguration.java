package io.rinpoche.deploy.requests;

import io.rinpoche.deploy.analysis.AnalysisProperties;
import io.rinpoche.deploy.analysis.PrometheusEdgeMetrics;
import io.rinpoche.deploy.history.DeploymentHistory;
import io.rinpoche.deploy.metrics.AnalysisMetrics;
import io.rinpoche.deploy.policy.PolicyProperties;
import io.rinpoche.deploy.queue.DeployQueue;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The analysis after a deploy: which services it watches (the rules), Prometheus, and the queue it rolls back through. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AnalysisProperties.class)
public class AnalysisConfiguration {

    @Bean(destroyMethod = "close")
    DeployAnalyses deployAnalyses(DeployQueue queue, DeploymentHistory history, AnalysisMetrics meters,
                                  AnalysisProperties settings, PolicyProperties policy, Clock clock) {
        DeployAnalyses analyses = new DeployAnalyses(queue, history,
                new PrometheusEdgeMetrics(settings.prometheusUrl(), settings.timeout()), meters, settings,
                new AnalysedServices(policy.rules(), settings.environments()), clock);
        analyses.start();
        return analyses;
    }
}
