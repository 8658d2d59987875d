package io.rinpoche.deploy.web.api;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The admin API's protection. The token is checked while the context starts, so a missing or weak
 * {@code ADMIN_TOKEN} stops start-up instead of leaving the API open or unusable.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiProperties.class)
public class ApiConfiguration {

    @Bean
    AdminToken adminToken(ApiProperties properties) {
        return AdminToken.of(properties.adminToken());
    }

    @Bean
    FilterRegistrationBean<AdminTokenFilter> adminTokenFilter(AdminToken token) {
        var registration = new FilterRegistrationBean<>(new AdminTokenFilter(token));
        registration.addUrlPatterns("/api/*");
        return registration;
    }
}
