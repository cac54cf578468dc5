package io.callcenter.identity;

import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;

import java.time.Clock;
import java.time.Instant;

/**
 * Issues our bearer tokens. The token proves who the user is; what they may do is read from the user table on
 * every request (SecurityConfiguration), so the role, team and permission claims are informative only.
 */
final class TokenService {

    static final String ROLE = "role";
    static final String TEAM = "team";
    static final String AGENT = "agent";
    static final String PERMISSIONS = "perms";
    static final String USERNAME = "preferred_username";

    private final JwtEncoder encoder;
    private final AuthProperties properties;
    private final Clock clock;

    TokenService(JwtEncoder encoder, AuthProperties properties, Clock clock) {
        this.encoder = encoder;
        this.properties = properties;
        this.clock = clock;
    }

    record Token(String value, Instant expiresAt) {
    }

    Token issue(User user) {
        Instant now = clock.instant();
        Instant expires = now.plus(properties.tokenLifetime());
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .issuer(properties.issuer())
                .subject(user.id().toString())
                // Its id, so a logout can revoke this one token.
                .id(java.util.UUID.randomUUID().toString())
                .issuedAt(now)
                .expiresAt(expires)
                .claim(USERNAME, user.username())
                .claim(ROLE, user.role().dbValue())
                .claim(PERMISSIONS, user.permissions());
        if (user.teamId() != null) {
            claims.claim(TEAM, user.teamId().toString());
        }
        if (user.agentId() != null) {
            claims.claim(AGENT, user.agentId().toString());
        }
        String value = encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims.build()))
                .getTokenValue();
        return new Token(value, expires);
    }
}
