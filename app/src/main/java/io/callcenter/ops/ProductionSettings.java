package io.callcenter.ops;

import org.springframework.core.env.PropertyResolver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What an operator must set before the {@code prod} profile starts, as a pure decision over the settings: each
 * problem names the environment variable to set, so the refusal reads as a to-do list. Development defaults that
 * are harmless on a laptop (a random token key per start, no TLS, demo users with known names, recordings kept for
 * ever by omission) are exactly the ones that must not reach production silently.
 */
public final class ProductionSettings {

    private ProductionSettings() {
    }

    /** The problems with these settings for production; empty when the app may start. */
    public static List<String> problems(PropertyResolver settings) {
        List<String> problems = new ArrayList<>();
        require(settings, problems, "spring.datasource.url", "CALLCENTER_DB_URL", "the database's JDBC URL");
        require(settings, problems, "spring.datasource.password", "CALLCENTER_DB_PASSWORD", "the database password");
        require(settings, problems, "callcenter.ari.url", "CALLCENTER_ARI_URL", "Asterisk's ARI address");
        require(settings, problems, "callcenter.ari.password", "CALLCENTER_ARI_PASSWORD", "the ARI user's password");
        require(settings, problems, "callcenter.auth.jwt-secret", "CALLCENTER_AUTH_JWT_SECRET",
                "the login token key (base64 of 32 random bytes; without it every restart logs everyone out)");
        require(settings, problems, "callcenter.calls.recording-retention", "CALLCENTER_RECORDING_RETENTION",
                "how long recordings are kept (e.g. 90d; 0 keeps them for ever, on purpose)");
        tls(settings, problems);
        String wsUrl = value(settings, "callcenter.softphone.ws-url");
        if (wsUrl.isEmpty() || !wsUrl.startsWith("wss://")) {
            problems.add("CALLCENTER_SOFTPHONE_WS_URL (callcenter.softphone.ws-url): Asterisk's WebRTC websocket as"
                    + " wss://host:port/ws; browsers allow a microphone only on secure pages (now: '" + wsUrl + "')");
        }
        require(settings, problems, "callcenter.softphone.sip-domain", "CALLCENTER_SOFTPHONE_SIP_DOMAIN",
                "the SIP domain the softphones register to (Asterisk's public name)");
        if (!value(settings, "callcenter.telnyx.api-key").isEmpty()) {
            // The auto-dialer is on once there is an API key: then Telnyx must reach us back.
            require(settings, problems, "callcenter.telnyx.connection-id", "CALLCENTER_TELNYX_CONNECTION_ID",
                    "the Call Control connection the dialer places calls on");
            require(settings, problems, "callcenter.telnyx.public-key", "CALLCENTER_TELNYX_PUBLIC_KEY",
                    "the key that verifies Telnyx's webhooks");
            require(settings, problems, "callcenter.telnyx.webhook-url", "CALLCENTER_TELNYX_WEBHOOK_URL",
                    "the public https URL of our webhook");
            String sipHost = value(settings, "callcenter.telnyx.sip-host");
            if (sipHost.isEmpty() || sipHost.startsWith("127.")) {
                problems.add("CALLCENTER_TELNYX_SIP_HOST (callcenter.telnyx.sip-host): the public address of our"
                        + " Asterisk that Telnyx transfers answered calls to (now: '" + sipHost + "')");
            }
        }
        if ("true".equalsIgnoreCase(value(settings, "callcenter.demo.enabled"))) {
            problems.add("callcenter.demo.enabled is true: the demo users and teams are never created in production");
        }
        return problems;
    }

    /** TLS of the app's own port: certificate and key files, unless a proxy in front terminates it (said so). */
    private static void tls(PropertyResolver settings, List<String> problems) {
        if ("false".equalsIgnoreCase(value(settings, "server.ssl.enabled"))) {
            return;
        }
        file(settings, problems, "server.ssl.certificate", "CALLCENTER_TLS_CERTIFICATE", "the PEM certificate chain");
        file(settings, problems, "server.ssl.certificate-private-key", "CALLCENTER_TLS_PRIVATE_KEY",
                "the PEM private key");
    }

    private static void file(PropertyResolver settings, List<String> problems, String property, String variable,
                             String what) {
        String path = value(settings, property);
        if (path.isEmpty()) {
            problems.add(variable + " (" + property + "): " + what + " (or CALLCENTER_TLS_ENABLED=false when a proxy"
                    + " in front terminates TLS)");
        } else if (!Files.isReadable(Path.of(path.replaceFirst("^file:", "")))) {
            problems.add(variable + " (" + property + "): " + what + " is not a readable file: " + path);
        }
    }

    private static void require(PropertyResolver settings, List<String> problems, String property, String variable,
                                String what) {
        if (value(settings, property).isEmpty()) {
            problems.add(variable + " (" + property + "): " + what);
        }
    }

    private static String value(PropertyResolver settings, String property) {
        String value = settings.getProperty(property);
        return value == null ? "" : value.strip();
    }
}
