package io.callcenter.dialer.telnyx;

import io.callcenter.web.ApiProblem;
import org.springframework.http.HttpStatus;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Telnyx signs {@code "<telnyx-timestamp>|<raw body>"} with Ed25519. Checked on the bytes as received (re-serialised
 * JSON would not match), and a timestamp far from now is refused so a captured request cannot be replayed.
 */
public final class WebhookSignature {

    /** DER header of an X.509 SubjectPublicKeyInfo for Ed25519; the raw 32-byte key follows it. */
    private static final byte[] X509_ED25519_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final PublicKey key;
    private final Duration tolerance;

    public WebhookSignature(String base64RawKey, Duration tolerance) {
        this.key = base64RawKey == null || base64RawKey.isBlank() ? null : publicKey(base64RawKey.strip());
        this.tolerance = tolerance;
    }

    static PublicKey publicKey(String base64RawKey) {
        byte[] raw = Base64.getDecoder().decode(base64RawKey);
        if (raw.length != 32) {
            throw new IllegalArgumentException("callcenter.telnyx.public-key must be base64 of a raw 32-byte Ed25519 key");
        }
        byte[] der = new byte[X509_ED25519_PREFIX.length + raw.length];
        System.arraycopy(X509_ED25519_PREFIX, 0, der, 0, X509_ED25519_PREFIX.length);
        System.arraycopy(raw, 0, der, X509_ED25519_PREFIX.length, raw.length);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("callcenter.telnyx.public-key is not an Ed25519 key", e);
        }
    }

    /** Refuses the request (problem+json) unless it is signed by Telnyx within the tolerance of {@code now}. */
    public void verify(String timestamp, String signature, byte[] body, Instant now) {
        if (key == null) {
            throw refused(HttpStatus.UNAUTHORIZED, "webhook-signature-invalid",
                    "callcenter.telnyx.public-key is not configured: webhooks cannot be verified");
        }
        if (timestamp == null || signature == null) {
            throw refused(HttpStatus.UNAUTHORIZED, "webhook-signature-invalid",
                    "telnyx-timestamp and telnyx-signature-ed25519 headers are required");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            throw refused(HttpStatus.BAD_REQUEST, "webhook-timestamp-invalid", "telnyx-timestamp is not Unix seconds");
        }
        if (Math.abs(now.getEpochSecond() - seconds) > tolerance.toSeconds()) {
            throw refused(HttpStatus.BAD_REQUEST, "webhook-timestamp-stale",
                    "telnyx-timestamp is more than " + tolerance.toSeconds() + " s away from now");
        }
        byte[] prefix = (timestamp.strip() + "|").getBytes(StandardCharsets.UTF_8);
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(prefix);
            verifier.update(body);
            if (!verifier.verify(Base64.getDecoder().decode(signature.strip()))) {
                throw refused(HttpStatus.UNAUTHORIZED, "webhook-signature-invalid", "the signature does not match the body");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw refused(HttpStatus.UNAUTHORIZED, "webhook-signature-invalid", "the signature is malformed");
        }
    }

    private static ApiProblem refused(HttpStatus status, String slug, String detail) {
        return new ApiProblem(status, slug, "Webhook refused", detail);
    }
}
