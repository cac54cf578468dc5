package io.callcenter.it;

import io.callcenter.testkit.tls.DevCa;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The development CA of the test run ({@code scripts/dev-certs.sh}, made when {@code scripts/asterisk.sh} starts the
 * test Asterisk, in its run directory): the certificate the app serves HTTPS with and Asterisk WSS, and the trust
 * of the test's own clients ({@link DevCa}) and of Chromium.
 */
final class TestTls {

    /** Asterisk's WebRTC websocket over TLS (scripts/asterisk.sh WSS_BIND). */
    static final String WSS_URL = "wss://127.0.0.1:8089/ws";

    private TestTls() {
    }

    static Path dir() {
        return TestAsterisk.get().tlsDir();
    }

    /** The app's HTTPS with the development certificate and the softphone on Asterisk's wss:// socket. */
    static Map<String, String> appSettings() {
        return Map.of(
                "server.ssl.enabled", "true",
                "server.ssl.certificate", dir().resolve("server.pem").toString(),
                "server.ssl.certificate-private-key", dir().resolve("server.key").toString(),
                "callcenter.softphone.ws-url", WSS_URL);
    }

    /** Base64 of the SHA-256 of the CA's public key: what Chromium is told to accept as an authority. */
    static String caSpki() {
        try {
            return Files.readString(dir().resolve("ca.spki"), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new IllegalStateException("no ca.spki in " + dir() + " (scripts/dev-certs.sh)", e);
        }
    }

    static HttpClient httpClient() {
        return DevCa.httpClient(dir().resolve("ca.pem"));
    }
}
