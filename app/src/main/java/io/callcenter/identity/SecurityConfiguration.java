package io.callcenter.identity;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Every /api request carries a bearer JWT, except the login itself. Tokens are ours (HS256, key from the
 * environment); the Telnyx webhook authenticates by its signature instead, and the softphone's static page and
 * health are public. Refusals are problem+json like every other error.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration implements WebMvcConfigurer {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);
    /**
     * Browsers cannot put headers on a WebSocket handshake; these paths take a single-use ticket as a parameter
     * instead (POST /api/auth/ws-ticket), never the token itself.
     */
    static final String AGENT_EVENTS_PATH = "/api/agent/events";
    /** The console's wallboard socket, for the same reason. */
    static final String CONSOLE_EVENTS_PATH = "/api/console/events";

    @Bean
    SecretKey jwtKey(AuthProperties properties) {
        byte[] key;
        if (properties.jwtSecret() == null || properties.jwtSecret().isBlank()) {
            log.warn("callcenter.auth.jwt-secret is not set: using a random key, so tokens die with this process");
            key = new byte[32];
            new SecureRandom().nextBytes(key);
        } else {
            key = Base64.getDecoder().decode(properties.jwtSecret().strip());
            if (key.length < 32) {
                throw new IllegalStateException("callcenter.auth.jwt-secret must be base64 of at least 32 bytes");
            }
        }
        return new SecretKeySpec(key, "HmacSHA256");
    }

    @Bean
    JwtEncoder jwtEncoder(SecretKey jwtKey) {
        return new NimbusJwtEncoder(new ImmutableSecret<>(jwtKey));
    }

    @Bean
    JwtDecoder jwtDecoder(SecretKey jwtKey, AuthProperties properties) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(jwtKey).macAlgorithm(MacAlgorithm.HS256).build();
        decoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(properties.issuer()));
        return decoder;
    }

    @Bean
    TokenService tokenService(JwtEncoder jwtEncoder, AuthProperties properties) {
        return new TokenService(jwtEncoder, properties, Clock.systemUTC());
    }

    @Bean
    LoginThrottle loginThrottle() {
        return new LoginThrottle(Clock.systemUTC());
    }

    @Bean
    WebSocketTickets webSocketTickets() {
        return new WebSocketTickets(Clock.systemUTC());
    }

    @Bean
    WebSocketGuard webSocketGuard(UserRepository users, RevokedTokenRepository revoked) {
        return new WebSocketGuard(users, revoked, Clock.systemUTC());
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, UserRepository users,
                            WebSocketTickets tickets) throws Exception {
        AuthenticationEntryPoint unauthenticated = (request, response, e) -> problem(response, HttpStatus.UNAUTHORIZED,
                "unauthenticated", "Authentication required", "Log in and send the token as 'Authorization: Bearer <token>'");
        AccessDeniedHandler forbidden = (request, response, e) -> problem(response, HttpStatus.FORBIDDEN,
                "forbidden", "Forbidden", "Your permissions do not allow this");
        http
                // Bearer tokens, no cookies: nothing for a cross-site request to ride on, so no CSRF tokens either.
                .csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.POST, "/api/auth/login").permitAll()
                        // Telnyx proves itself with an Ed25519 signature over each request (checked by the dialer).
                        .requestMatchers("/webhooks/**").permitAll()
                        .requestMatchers("/api/**").authenticated()
                        .anyRequest().permitAll())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .bearerTokenResolver(bearerTokens(tickets))
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(forbidden)
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(token -> authentication(token, users))))
                .exceptionHandling(handling -> handling.authenticationEntryPoint(unauthenticated).accessDeniedHandler(forbidden));
        return http.build();
    }

    /** A WebSocket handshake redeems its ticket for the token it stands for; a used or stale ticket is no login. */
    private static BearerTokenResolver bearerTokens(WebSocketTickets tickets) {
        DefaultBearerTokenResolver header = new DefaultBearerTokenResolver();
        return request -> {
            boolean socket = AGENT_EVENTS_PATH.equals(request.getRequestURI())
                    || CONSOLE_EVENTS_PATH.equals(request.getRequestURI());
            String ticket = socket ? request.getParameter("ticket") : null;
            if (ticket == null) {
                return header.resolve(request);
            }
            return tickets.redeem(ticket).orElseThrow(() -> new org.springframework.security.oauth2.server.resource
                    .InvalidBearerTokenException("unknown, used or expired WebSocket ticket"));
        };
    }

    /**
     * The token says who the user is; what they may do is read from the user table on every request, so disabling a
     * user or taking a permission away applies at once, not when their token expires.
     */
    static AbstractAuthenticationToken authentication(Jwt jwt, UserRepository users) {
        Optional<UserRepository.TokenUser> holder = users.findForToken(UUID.fromString(jwt.getSubject()), jwt.getId());
        if (holder.isPresent() && holder.get().revoked()) {
            throw new org.springframework.security.authentication.CredentialsExpiredException("signed out");
        }
        User user = holder.map(UserRepository.TokenUser::user).filter(User::enabled)
                .orElseThrow(() -> new org.springframework.security.authentication.DisabledException("user disabled or removed"));
        List<SimpleGrantedAuthority> authorities = new java.util.ArrayList<>(Permissions.expand(user.permissions()).stream()
                .map(SimpleGrantedAuthority::new).toList());
        if (Permissions.expand(user.permissions()).contains(Permissions.ADMIN)) {
            // The health endpoint shows its details to this role only (management.endpoint.health.roles).
            authorities.add(new SimpleGrantedAuthority("ROLE_ADMIN"));
        }
        JwtAuthenticationToken authentication = new JwtAuthenticationToken(jwt, authorities, jwt.getSubject());
        authentication.setDetails(user);
        return authentication;
    }


    static Caller callerOf(Authentication authentication) {
        if (!(authentication instanceof JwtAuthenticationToken token)) {
            return null;
        }
        if (!(token.getDetails() instanceof User user)) {
            return null;
        }
        return new Caller(user.id(), user.username(), user.role(), user.teamId(), user.agentId(),
                new HashSet<>(Permissions.expand(user.permissions())));
    }


    static void problem(jakarta.servlet.http.HttpServletResponse response, HttpStatus status, String slug,
                                String title, String detail) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"type\":\"/problems/" + slug + "\",\"title\":\"" + title + "\",\"status\":"
                + status.value() + ",\"detail\":\"" + detail + "\"}");
    }

    /** Lets controllers declare a {@link Caller} parameter. */
    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new HandlerMethodArgumentResolver() {
            @Override
            public boolean supportsParameter(MethodParameter parameter) {
                return parameter.getParameterType() == Caller.class;
            }

            @Override
            public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
                                          WebDataBinderFactory binders) {
                Caller caller = callerOf(SecurityContextHolder.getContext().getAuthentication());
                if (caller == null) {
                    throw new org.springframework.security.authentication.AuthenticationCredentialsNotFoundException("no token");
                }
                return caller;
            }
        });
    }
}
