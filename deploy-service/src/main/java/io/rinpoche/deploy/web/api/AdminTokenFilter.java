package io.rinpoche.deploy.web.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
    private final long maxBodySize;

    /** @param maxBodySize the largest request body taken, in bytes; a larger one gets 413 */
    public AdminTokenFilter(AdminToken token, long maxBodySize) {
        this.token = token;
        this.maxBodySize = maxBodySize;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!token.admits(request.getHeader(HttpHeaders.AUTHORIZATION))) {
            String detail = request.getHeader(HttpHeaders.AUTHORIZATION) == null ? "missing admin token"
                    : "wrong admin token";
            // The header is never logged: a wrong token may be a real one meant for somewhere else.
            log.warn("API request {} {} refused with 401: {}", request.getMethod(), request.getRequestURI(), detail);
            // RFC 6750 section 3: a 401 for a bearer-protected resource names the scheme.
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"rinpoche\"");
            refuse(request, response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized",
                    detail + "; send Authorization: Bearer <ADMIN_TOKEN>");
            return;
        }
        // Only once the caller is known: nobody without the token makes the service read a body.
        Optional<HttpServletRequest> small = SmallBody.read(request, maxBodySize);
        if (small.isEmpty()) {
            log.warn("API request {} {} refused with 413: body over {} bytes", request.getMethod(),
                    request.getRequestURI(), maxBodySize);
            refuse(request, response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "Content Too Large",
                    "the request body is larger than " + maxBodySize + " bytes (rinpoche.api.max-body-size)");
            return;
        }
        chain.doFilter(small.get(), response);
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, int status, String title,
                               String detail) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(JSON.writeValueAsBytes(problem));
    }
}
