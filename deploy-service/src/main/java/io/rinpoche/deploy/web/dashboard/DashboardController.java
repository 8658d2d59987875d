package io.rinpoche.deploy.web.dashboard;

import io.rinpoche.deploy.history.DeploymentHistory;
import io.rinpoche.deploy.requests.Environments;
import io.rinpoche.deploy.requests.ManualRequests;
import io.rinpoche.deploy.requests.NothingToRollBackException;
import io.rinpoche.deploy.web.api.AdminToken;
import io.rinpoche.deploy.web.api.DeploymentView;
import io.rinpoche.deploy.web.api.EnvironmentView;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The dashboard at {@code /}: firing alerts, environments, the deployment timeline, rollback buttons and charts, for a session
 * signed in with the admin token. It reads and rolls back through the same code as the admin API.
 */
@Controller
public class DashboardController {

    static final int TIMELINE_SIZE = 50;
    private static final Logger log = LoggerFactory.getLogger(DashboardController.class);

    private final AdminToken token;
    private final Environments environments;
    private final DeploymentHistory history;
    private final ManualRequests requests;
    private final Charts charts;
    private final ServiceRows rows;

    public DashboardController(AdminToken token, Environments environments, DeploymentHistory history,
                               ManualRequests requests, Charts charts, ServiceRows rows) {
        this.token = token;
        this.environments = environments;
        this.history = history;
        this.requests = requests;
        this.charts = charts;
        this.rows = rows;
    }

    @GetMapping("/")
    public String page(HttpServletRequest request, Model model) {
        if (!DashboardSession.signedIn(request)) {
            return "redirect:/login";
        }
        List<EnvironmentView> views = environments.states().stream().map(EnvironmentView::of).toList();
        model.addAttribute("environments", views);
        model.addAttribute("rows", rows.of(views));
        List<DeploymentView> timeline = history.page(0, TIMELINE_SIZE).items().stream().map(DeploymentView::of).toList();
        model.addAttribute("timeline", timeline);
        model.addAttribute("charts", charts.all(timeline.stream()
                .filter(d -> !"skipped".equals(d.outcome())).map(DashboardController::marked).toList()));
        // null: Prometheus did not answer, so whether anything fires is unknown.
        model.addAttribute("alerts", charts.alerts().orElse(null));
        model.addAttribute("csrf", DashboardSession.csrfToken(request));
        return "dashboard";
    }

    // Each deploy and rollback of the timeline that changed something, marked on the charts ("14:02 staging/shop hook: deployed").
    private static Chart.Deploy marked(DeploymentView d) {
        return new Chart.Deploy(Instant.parse(d.started()), d.started().substring(11, 16) + " " + d.environment() + "/"
                + d.service() + " " + d.trigger().kind() + ": " + d.outcome(), d.outcome().equals("rolled_back") || d.outcome().equals("failed"));
    }

    @GetMapping("/login")
    public String loginForm() {
        return "login";
    }

    @PostMapping("/login")
    public String login(@RequestParam(name = "token", defaultValue = "") String presented,
                        HttpServletRequest request, HttpServletResponse response, Model model) {
        if (!token.matches(presented)) {
            // Never log what was typed: it may be a real secret meant for somewhere else.
            log.warn("dashboard sign-in refused: wrong admin token from {}", request.getRemoteAddr());
            response.setStatus(HttpStatus.UNAUTHORIZED.value());
            model.addAttribute("error", "Wrong admin token.");
            return "login";
        }
        DashboardSession.signIn(request);
        return "redirect:/";
    }

    @PostMapping("/logout")
    public String logout(HttpServletRequest request) {
        DashboardSession.signOut(request);
        return "redirect:/login";
    }

    @PostMapping("/rollback")
    public String rollback(@RequestParam("environment") String environment, @RequestParam("service") String service,
                           @RequestParam(name = DashboardSession.CSRF_FIELD, required = false) String csrf,
                           HttpServletRequest request, RedirectAttributes flash) {
        if (!DashboardSession.signedIn(request)) {
            return "redirect:/login";
        }
        if (!DashboardSession.csrfMatches(request, csrf)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "missing or wrong CSRF token");
        }
        try {
            ManualRequests.Queued queued = requests.rollback(environment, service, null);
            flash.addFlashAttribute("message", "Rollback of " + queued.environment() + "/" + queued.service()
                    + " to " + queued.image() + " queued (id " + queued.id() + ").");
        } catch (NothingToRollBackException | IllegalArgumentException e) {
            flash.addFlashAttribute("error", "Rollback refused: " + e.getMessage());
        }
        return "redirect:/";
    }
}
