package io.rinpoche.deploy.web.dashboard;

import io.rinpoche.deploy.hook.auth.Secrets;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A signed-in dashboard session: the servlet session (HttpOnly, SameSite=Strict cookie, see application.yaml)
 * marked signed in, with its own CSRF token that every form posts back (the synchronizer token pattern,
 * https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html).
 */
final class DashboardSession {

    static final String CSRF_FIELD = "_csrf";
    private static final String SIGNED_IN = "rinpoche.dashboard.signedIn";
    private static final String CSRF = "rinpoche.dashboard.csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private DashboardSession() {
    }

    /** Starts a new session (a fresh id, against session fixation), signed in, with a new CSRF token. */
    static void signIn(HttpServletRequest request) {
        HttpSession old = request.getSession(false);
        if (old != null) {
            old.invalidate();
        }
        HttpSession session = request.getSession(true);
        byte[] token = new byte[32];
        RANDOM.nextBytes(token);
        session.setAttribute(SIGNED_IN, Boolean.TRUE);
        session.setAttribute(CSRF, Base64.getUrlEncoder().withoutPadding().encodeToString(token));
    }

    static void signOut(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
    }

    /** True when the request belongs to a signed-in session. */
    static boolean signedIn(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session != null && Boolean.TRUE.equals(session.getAttribute(SIGNED_IN));
    }

    /** The session's CSRF token, for the forms of the page. */
    static String csrfToken(HttpServletRequest request) {
        return (String) request.getSession(false).getAttribute(CSRF);
    }

    /** True when {@code presented} is the session's CSRF token (compared in constant time). */
    static boolean csrfMatches(HttpServletRequest request, String presented) {
        return signedIn(request) && Secrets.same(presented,
                csrfToken(request).getBytes(StandardCharsets.UTF_8));
    }
}
