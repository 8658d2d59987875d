package io.rinpoche.deploy.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.rinpoche.deploy.FakeEngine;
import io.rinpoche.deploy.FakeEngineConfiguration;
import io.rinpoche.deploy.history.Intent;
import io.rinpoche.deploy.history.Trigger;
import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.queue.RolloutScheduler;
import jakarta.servlet.http.Cookie;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * The dashboard over MockMvc with the real scheduler and history and a fake engine: sign-in, the page, the
 * CSRF-protected rollback through the API's rollback code; Prometheus is unreachable, so no charts.
 */
@Import(FakeEngineConfiguration.class)
@SpringBootTest(properties = {"HOOK_TOKEN=test-hook-token-0123456789", "ADMIN_TOKEN=" + DashboardTest.ADMIN_TOKEN,
        "rinpoche.dashboard.prometheus-url=http://127.0.0.1:1", "rinpoche.dashboard.prometheus-timeout=300ms"})
@AutoConfigureMockMvc
class DashboardTest {

    static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    private static final String IMAGE = "127.0.0.1:5000/hello-django";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @Autowired
    private MockMvc mvc;

    @Autowired
    private FakeEngine engine;

    @Autowired
    private RolloutScheduler scheduler;

    @BeforeEach
    void deployedOnce() {
        engine.run("production", "web", IMAGE + ":1.0.0").run("staging", "web", IMAGE + ":develop-aaa111")
                .run("staging", "redis", "127.0.0.1:5000/rinpoche/redis:0.1.0");
        pushed(scheduler, "staging", "web", IMAGE + ":develop-bbb222");
    }

    /** Deploys {@code image} as a registry push would (a plan from a hook, with a fresh event id), and waits. */
    static void pushed(RolloutScheduler scheduler, String environment, String service, String image) {
        ImageRef ref = ImageRef.parse(image);
        scheduler.submit(Intent.of(new DeployRequest(Environment.of(environment), ServiceName.of(service), ref),
                Trigger.hook("registry", UUID.randomUUID().toString())));
        await().atMost(Duration.ofSeconds(10)).until(scheduler::idle);
    }

    private MockHttpSession signIn() throws Exception {
        MvcResult result = mvc.perform(post("/login").param("token", ADMIN_TOKEN))
                .andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("/"))
                .andReturn();
        return (MockHttpSession) result.getRequest().getSession(false);
    }

    private static String csrf(String page) {
        Matcher matcher = CSRF.matcher(page);
        assertThat(matcher.find()).as("a CSRF field in the page").isTrue();
        return matcher.group(1);
    }

    @Test
    void withoutSessionThePageRedirectsToTheLoginForm() throws Exception {
        mvc.perform(get("/")).andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/login"));
        mvc.perform(get("/login")).andExpect(status().isOk())
                .andExpect(content().string(containsString("name=\"token\"")));
        // The API's bearer token does not open the page, and a session cookie made up by hand neither.
        mvc.perform(get("/").header("Authorization", "Bearer " + ADMIN_TOKEN).cookie(new Cookie("JSESSIONID", "x")))
                .andExpect(redirectedUrl("/login"));
    }

    @Test
    void aWrongTokenGets401() throws Exception {
        MvcResult result = mvc.perform(post("/login").param("token", "wrong-token-0123456789"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().string(containsString("Wrong admin token")))
                .andReturn();
        mvc.perform(post("/login")).andExpect(status().isUnauthorized());
        MockHttpSession session = (MockHttpSession) result.getRequest().getSession(false);
        if (session != null) {
            mvc.perform(get("/").session(session)).andExpect(redirectedUrl("/login"));
        }
    }

    @Test
    void signedInThePageShowsBothEnvironmentsTheTimelineAndNoChartsWhenPrometheusIsDown() throws Exception {
        mvc.perform(get("/").session(signIn()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("id=\"env-production\"")))
                .andExpect(content().string(containsString("id=\"env-staging\"")))
                .andExpect(content().string(containsString(IMAGE + ":1.0.0")))
                .andExpect(content().string(containsString("id=\"timeline\"")))
                .andExpect(content().string(containsString(IMAGE + ":develop-bbb222")))
                .andExpect(content().string(containsString("hook registry")))
                .andExpect(content().string(containsString("DEPLOYED")))
                .andExpect(content().string(containsString("Metrics unavailable")))
                .andExpect(content().string(containsString("Alerts unknown: Prometheus did not answer.")))
                .andExpect(content().string(containsString("n/a: Prometheus did not answer")));
    }

    @Test
    void rollBackIsOfferedOnlyForServicesDeploysChange() throws Exception {
        String page = mvc.perform(get("/").session(signIn())).andReturn().getResponse().getContentAsString();

        // staging/web was deployed (it has a pin); staging/redis and production/web never were.
        assertThat(page).contains("<button type=\"submit\" class=\"nowrap\" id=\"rollback-staging-web\">Roll back</button>");
        assertThat(page).containsPattern("<button[^>]*disabled[^>]*id=\"rollback-staging-redis\"[^>]*"
                + "title=\"Deploys do not change this service: it has no pin in the desired state. It changes with ./platform up.\">");
        assertThat(page).containsPattern("<button[^>]*disabled[^>]*id=\"rollback-production-web\"");
    }

    @Test
    void signingOutEndsTheSession() throws Exception {
        MockHttpSession session = signIn();
        mvc.perform(post("/logout").session(session)).andExpect(redirectedUrl("/login"));
        mvc.perform(get("/").session(session)).andExpect(redirectedUrl("/login"));
    }

    @Test
    void aRollbackWithoutTheCsrfTokenIs403AndRollsNothing() throws Exception {
        MockHttpSession session = signIn();
        int before = engine.rolled("staging", "web").size();
        mvc.perform(post("/rollback").session(session).param("environment", "staging").param("service", "web"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/rollback").session(session).param("environment", "staging").param("service", "web")
                        .param("_csrf", "forged"))
                .andExpect(status().isForbidden());
        assertThat(scheduler.idle()).isTrue();
        assertThat(engine.rolled("staging", "web")).hasSize(before);
    }

    @Test
    void aRollbackWithTheCsrfTokenGoesThroughTheRollbackCode() throws Exception {
        MockHttpSession session = signIn();
        String page = mvc.perform(get("/").session(session)).andReturn().getResponse().getContentAsString();
        int before = engine.rolled("staging", "web").size();
        mvc.perform(post("/rollback").session(session).param("environment", "staging").param("service", "web")
                        .param("_csrf", csrf(page)))
                .andExpect(redirectedUrl("/"))
                .andExpect(flash().attribute("message", containsString("Rollback of staging/web to " + IMAGE
                        + ":develop-aaa111@sha256:")));
        await().atMost(Duration.ofSeconds(10)).until(scheduler::idle);
        assertThat(engine.rolled("staging", "web")).hasSize(before + 1);
        assertThat(engine.rolled("staging", "web").get(before).image().tag()).isEqualTo("develop-aaa111");
        mvc.perform(get("/").session(session))
                .andExpect(content().string(containsString("rollback by admin")));
    }

    @Test
    void aRollbackOfAnUnknownEnvironmentIsAFlashedRefusalNotAnError() throws Exception {
        MockHttpSession session = signIn();
        String page = mvc.perform(get("/").session(session)).andReturn().getResponse().getContentAsString();
        mvc.perform(post("/rollback").session(session).param("environment", "qa").param("service", "web")
                        .param("_csrf", csrf(page)))
                .andExpect(redirectedUrl("/"))
                .andExpect(flash().attribute("error", containsString("unknown environment 'qa'")))
                .andExpect(flash().attributeCount(1));
    }
}
