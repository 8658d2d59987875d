package io.rinpoche.deploy.web.api;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/**
 * The admin API's protection. The token is checked while the context starts, so a missing or weak
 * {@code ADMIN_TOKEN} stops start-up instead of leaving the API open or unusable. Bodies are small and strict.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiProperties.class)
public class ApiConfiguration {

    @Bean
    AdminToken adminToken(ApiProperties properties) {
        return AdminToken.of(properties.adminToken());
    }

    // A number or a boolean where the API takes a string is a mistake to report, not a value to turn into "true".
    @Bean
    JsonMapperBuilderCustomizer stringsAreStrings() {
        return builder -> builder.withCoercionConfig(LogicalType.Textual, strings -> strings
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }

    @Bean
    FilterRegistrationBean<AdminTokenFilter> adminTokenFilter(AdminToken token, ApiProperties properties) {
        var registration = new FilterRegistrationBean<>(new AdminTokenFilter(token, properties.maxBodySize().toBytes()));
        registration.addUrlPatterns("/api/*");
        return registration;
    }
}
