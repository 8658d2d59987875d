package io.rinpoche.deploy.web.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lets a request under {@code /api} through only with {@code Authorization: Bearer <ADMIN_TOKEN>}; else 401
 * problem+json. A filter rather than a handler interceptor, so that unknown paths under {@code /api} are
 * refused too and tell nothing about which exist.
 */
public class AdminTokenFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(AdminTokenFilter.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final AdminToken token;

    public AdminTokenFilter(AdminToken token) {
        this.token = token;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (token.admits(request.getHeader(HttpHeaders.AUTHORIZATION))) {
            chain.doFilter(request, response);
            return;
        }
        String detail = request.getHeader(HttpHeaders.AUTHORIZATION) == null ? "missing admin token"
                : "wrong admin token";
        // The header is never logged: a wrong token may be a real one meant for somewhere else.
        log.warn("API request {} {} refused with 401: {}", request.getMethod(), request.getRequestURI(), detail);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", "Unauthorized");
        problem.put("status", HttpServletResponse.SC_UNAUTHORIZED);
        problem.put("detail", detail + "; send Authorization: Bearer <ADMIN_TOKEN>");
        problem.put("instance", request.getRequestURI());
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        // RFC 6750 section 3: a 401 for a bearer-protected resource names the scheme.
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"rinpoche\"");
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(JSON.writeValueAsBytes(problem));
    }
}
