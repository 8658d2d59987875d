package io.rinpoche.deploy.web.api;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** Admin API requests carrying the test admin token. */
public final class ApiRequests {

    /** The admin token of the test contexts (a test value). */
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";

    private ApiRequests() {
    }

    static MockHttpServletRequestBuilder apiGet(String path) {
        return get(path).header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    static MockHttpServletRequestBuilder apiPost(String path, String json) {
        return post(path).header("Authorization", "Bearer " + ADMIN_TOKEN).contentType(MediaType.APPLICATION_JSON)
                .content(json);
    }
}
