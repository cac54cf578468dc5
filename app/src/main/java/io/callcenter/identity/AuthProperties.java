package io.callcenter.identity;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * @param jwtSecret      base64 of at least 32 random bytes, signing our own tokens (HS256). Empty: a random key per
 *                       start (tokens die with the process; fine for tests, not for production)
 * @param tokenLifetime  how long a login lasts: a working day
 * @param issuer         the {@code iss} of our tokens
 */
@ConfigurationProperties("callcenter.auth")
record AuthProperties(String jwtSecret, Duration tokenLifetime, String issuer) {

    AuthProperties {
        tokenLifetime = tokenLifetime == null ? Duration.ofHours(12) : tokenLifetime;
        issuer = issuer == null || issuer.isBlank() ? "callcenter" : issuer;
    }
}
