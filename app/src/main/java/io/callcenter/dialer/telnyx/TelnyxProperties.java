package io.callcenter.dialer.telnyx;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Telnyx Call Control settings. The API key and the webhook public key come from the environment, never from the
 * repository.
 *
 * @param baseUrl       {@code https://api.telnyx.com}; the tests point it at a stand-in
 * @param connectionId  the Voice API application that places the calls
 * @param sipHost       where Telnyx transfers answered humans: {@code sip:attempt-<id>@<sipHost>}
 * @param publicKey     base64 of the account's raw 32-byte Ed25519 key that signs webhooks
 * @param webhookUrl    our public {@code /webhooks/telnyx} URL (null: the application's default in Telnyx)
 * @param ringTimeout   how long a lead's phone rings; the rules ask for at least 15 seconds
 */
@ConfigurationProperties("callcenter.telnyx")
public record TelnyxProperties(String baseUrl, String apiKey, String connectionId, String sipHost, String publicKey,
                               String webhookUrl, Duration ringTimeout, Duration timestampTolerance,
                               Duration requestTimeout, int maxRetries) {

    public TelnyxProperties {
        baseUrl = baseUrl == null || baseUrl.isBlank() ? "https://api.telnyx.com" : baseUrl.replaceAll("/+$", "");
        ringTimeout = ringTimeout == null ? Duration.ofSeconds(25) : ringTimeout;
        if (ringTimeout.toSeconds() < 15) {
            throw new IllegalArgumentException("callcenter.telnyx.ring-timeout must be at least 15 s (telemarketing rules)");
        }
        timestampTolerance = timestampTolerance == null ? Duration.ofSeconds(300) : timestampTolerance;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(5) : requestTimeout;
        maxRetries = maxRetries <= 0 ? 4 : maxRetries;
    }

    public boolean configured() {
        return apiKey != null && !apiKey.isBlank() && connectionId != null && !connectionId.isBlank();
    }
}
