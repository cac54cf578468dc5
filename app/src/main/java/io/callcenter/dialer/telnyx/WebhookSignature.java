package io.callcenter.dialer.telnyx;

import io.callcenter.web.ApiProblem;
import org.springframework.http.HttpStatus;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Telnyx signs {@code "<telnyx-timestamp>|<raw body>"} with Ed25519. Checked on the bytes as received (re-serialised
 * JSON would not match), and a timestamp far from now is refused so a captured request cannot be replayed.
 *
 * <p>BouncyCastle's Ed25519, called directly rather than through the JCA: the JDK's provider cost 0.6 ms of CPU per
 * webhook, 1.2 cores at 2,000 webhooks/s (BENCHMARKS.md, "Webhook intake", WebhookVerifyBench). The key is decoded
 * once (BouncyCastle keeps the decoded point), and the check is RFC 8032's as before: a signature whose S is not
 * below the group order, or that is not 64 bytes, fails like a wrong one.
 */
public final class WebhookSignature {

    private final Ed25519PublicKeyParameters key;
    private final Duration tolerance;

    public WebhookSignature(String base64RawKey, Duration tolerance) {
        this.key = base64RawKey == null || base64RawKey.isBlank() ? null : publicKey(base64RawKey.strip());
        this.tolerance = tolerance;
    }

    static Ed25519PublicKeyParameters publicKey(String base64RawKey) {
        byte[] raw = Base64.getDecoder().decode(base64RawKey);
        if (raw.length != Ed25519PublicKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("callcenter.telnyx.public-key must be base64 of a raw 32-byte Ed25519 key");
        }
        try {
            return new Ed25519PublicKeyParameters(raw);
        } catch (IllegalArgumentException e) {
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
        if (!matches(key, timestamp.strip(), signature.strip(), body)) {
            throw refused(HttpStatus.UNAUTHORIZED, "webhook-signature-invalid", "the signature does not match the body");
        }
    }

    /** Whether {@code signature} (base64) signs {@code "<timestamp>|<body>"}; a malformed one does not. */
    static boolean matches(Ed25519PublicKeyParameters key, String timestamp, String signature, byte[] body) {
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (sig.length != Ed25519.SIGNATURE_SIZE) {
            return false;
        }
        // One array, as the verifier reads one message: the timestamp's few bytes, '|', then the body as received.
        byte[] prefix = timestamp.getBytes(StandardCharsets.US_ASCII);
        byte[] message = new byte[prefix.length + 1 + body.length];
        System.arraycopy(prefix, 0, message, 0, prefix.length);
        message[prefix.length] = '|';
        System.arraycopy(body, 0, message, prefix.length + 1, body.length);
        return key.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, sig, 0);
    }

    private static ApiProblem refused(HttpStatus status, String slug, String detail) {
        return new ApiProblem(status, slug, "Webhook refused", detail);
    }
}
