package io.callcenter.asterisk.ari;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import java.time.Duration;

/**
 * Where and how to reach ARI. The password has no default: it comes from the environment
 * ({@code CALLCENTER_ARI_PASSWORD}) or the file the Asterisk start script generates.
 */
@Validated
@ConfigurationProperties("callcenter.ari")
record AriProperties(
        URI url,
        @NotBlank String username,
        @NotBlank String password,
        @NotBlank String application,
        Duration reconnectMinDelay,
        Duration reconnectMaxDelay) {

    AriProperties {
        if (url == null) {
            url = URI.create("http://127.0.0.1:8088/");
        }
        if (reconnectMinDelay == null) {
            reconnectMinDelay = Duration.ofMillis(250);
        }
        if (reconnectMaxDelay == null) {
            reconnectMaxDelay = Duration.ofSeconds(5);
        }
    }

    /** ari4java and the websocket URL both want the base with a trailing slash. */
    String baseUrl() {
        String base = url.toString();
        return base.endsWith("/") ? base : base + "/";
    }
}
