package io.callcenter.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * {@code /actuator/prometheus}: administrators (their login token), or a scraper presenting the scrape token from
 * configuration ({@code callcenter.metrics.scrape-token}, unset: administrators only) as its bearer token. Figures
 * of every team's calls and agents are there, so nobody else may read them.
 */
@Configuration(proxyBeanMethods = false)
class MetricsScrapeSecurity {

    static final String PROMETHEUS_PATH = "/actuator/prometheus";
    private static final String SCRAPER = "metrics:scrape";

    @Bean
    @Order(1)
    SecurityFilterChain metricsScrape(HttpSecurity http, UserRepository users,
                                      @Value("${callcenter.metrics.scrape-token:}") String scrapeToken) throws Exception {
        byte[] expected = scrapeToken.isBlank() ? null : scrapeToken.strip().getBytes(StandardCharsets.UTF_8);
        DefaultBearerTokenResolver header = new DefaultBearerTokenResolver();
        // The scrape token is not a login token: the JWT filter must not try (and fail) to decode it.
        BearerTokenResolver loginTokens = request -> {
            String token = header.resolve(request);
            return token != null && isScrapeToken(token, expected) ? null : token;
        };
        http
                .securityMatcher(PROMETHEUS_PATH)
                .csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests.anyRequest().hasAnyAuthority(Permissions.ADMIN, SCRAPER))
                .addFilterBefore(new ScrapeTokenFilter(header, expected), BearerTokenAuthenticationFilter.class)
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .bearerTokenResolver(loginTokens)
                        .authenticationEntryPoint((request, response, e) -> unauthenticated(response))
                        .accessDeniedHandler((request, response, e) -> forbidden(response))
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(token -> SecurityConfiguration.authentication(token, users))))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint((request, response, e) -> unauthenticated(response))
                        .accessDeniedHandler((request, response, e) -> forbidden(response)));
        return http.build();
    }

    private static boolean isScrapeToken(String token, byte[] expected) {
        return expected != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), expected);
    }

    private static void unauthenticated(HttpServletResponse response) throws IOException {
        SecurityConfiguration.problem(response, HttpStatus.UNAUTHORIZED, "unauthenticated", "Authentication required",
                "Send an administrator's login token or the metrics scrape token as 'Authorization: Bearer <token>'");
    }

    private static void forbidden(HttpServletResponse response) throws IOException {
        SecurityConfiguration.problem(response, HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                "Only administrators and the metrics scraper may read metrics");
    }

    private static final class ScrapeTokenFilter extends OncePerRequestFilter {
        private final DefaultBearerTokenResolver header;
        private final byte[] expected;

        ScrapeTokenFilter(DefaultBearerTokenResolver header, byte[] expected) {
            this.header = header;
            this.expected = expected;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String token = header.resolve(request);
            if (token != null && isScrapeToken(token, expected)) {
                SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                        "metrics-scraper", null, List.of(new SimpleGrantedAuthority(SCRAPER))));
            }
            chain.doFilter(request, response);
        }
    }
}
