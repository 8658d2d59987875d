package io.rinpoche.deploy.web.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code rinpoche.api}: the admin token the API asks for, from {@code ADMIN_TOKEN}, and the largest request body it
 * reads (64 KiB; its bodies are a few hundred bytes).
 */
@ConfigurationProperties("rinpoche.api")
public record ApiProperties(String adminToken, @DefaultValue("64KB") DataSize maxBodySize) {

    // Records print every component; this one must never print the token (logs, failure analysis).
    @Override
    public String toString() {
        return "ApiProperties[adminToken=" + (adminToken == null ? "null" : "******") + "]";
    }
}
