package io.callcenter.ops;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request that could not get the database in time (the pool busy for longer than its wait, or the database away)
 * is answered 503 problem+json with Retry-After, not Spring's bare 500: the softphone and an API client can tell
 * "try again in a moment" from a fault of theirs or ours. It wraps every filter, so the token check that reads the
 * user on each request (the first thing a burst of 200 clicks waits for) is covered too. Nothing was half-written:
 * each request's writes are one transaction, rolled back by the failure.
 */
final class DatabaseBusyAnswer extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(DatabaseBusyAnswer.class);
    static final String RETRY_AFTER_SECONDS = "2";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (ServletException | RuntimeException e) {
            if (!DatabaseOutage.isOutage(e) || response.isCommitted()) {
                throw e;
            }
            log.warn("{} {}: the database did not answer in time ({}); answered 503", request.getMethod(),
                    request.getRequestURI(), rootMessage(e));
            response.resetBuffer();
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            // The same fields as every other problem the API answers (web.ApiProblem's slug under /problems/).
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("type", "/problems/database-busy");
            problem.put("title", "Database busy");
            problem.put("status", HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            problem.put("detail", "The database did not answer in time; nothing was changed. Try again in a moment.");
            problem.put("instance", request.getRequestURI());
            response.getWriter().write(JSON.writeValueAsString(problem));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
