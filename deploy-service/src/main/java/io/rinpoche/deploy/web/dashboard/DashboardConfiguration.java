package io.rinpoche.deploy.web.dashboard;

import io.rinpoche.deploy.requests.DesiredState;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The dashboard's Prometheus client, charts and service rows. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DashboardProperties.class)
public class DashboardConfiguration {

    @Bean
    PrometheusClient dashboardPrometheus(DashboardProperties properties, Clock clock) {
        return new PrometheusClient(properties.prometheusUrl(), properties.prometheusTimeout(),
                properties.prometheusCache(), clock);
    }

    @Bean
    Charts dashboardCharts(PrometheusClient prometheus) {
        return new Charts(prometheus);
    }

    @Bean
    ServiceRows dashboardServiceRows(DesiredState state, PrometheusClient prometheus, Clock clock) {
        return new ServiceRows(state, new AppSignals(prometheus, clock));
    }
}
