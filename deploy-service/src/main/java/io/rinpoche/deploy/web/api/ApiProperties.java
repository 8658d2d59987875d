package io.rinpoche.deploy.web.api;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code rinpoche.api}: the admin token the API asks for, from {@code ADMIN_TOKEN}. */
@ConfigurationProperties("rinpoche.api")
public record ApiProperties(String adminToken) {

    // Records print every component; this one must never print the token (logs, failure analysis).
    @Override
    public String toString() {
        return "ApiProperties[adminToken=" + (adminToken == null ? "null" : "******") + "]";
    }
}
