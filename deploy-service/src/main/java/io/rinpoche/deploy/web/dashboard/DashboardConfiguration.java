package io.rinpoche.deploy.web.dashboard;

import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The dashboard's Prometheus client and charts. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DashboardProperties.class)
public class DashboardConfiguration {

    @Bean
    Charts dashboardCharts(DashboardProperties properties, Clock clock) {
        return new Charts(new PrometheusClient(properties.prometheusUrl(), properties.prometheusTimeout(),
                properties.prometheusCache(), clock));
    }
}
