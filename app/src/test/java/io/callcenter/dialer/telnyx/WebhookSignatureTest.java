package io.callcenter.dialer.telnyx;

import io.callcenter.web.ApiProblem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class WebhookSignatureTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final byte[] BODY = "{\"data\":{\"id\":\"e1\",\"event_type\":\"call.answered\"}}".getBytes(StandardCharsets.UTF_8);

    private static KeyPair keys;
    private static WebhookSignature verifier;

    @BeforeAll
    static void keys() throws Exception {
        keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        verifier = new WebhookSignature(rawPublicKey(keys), Duration.ofSeconds(300));
    }

    /** What Telnyx publishes: the raw 32 bytes, i.e. the X.509 encoding without its 12-byte header. */
    static String rawPublicKey(KeyPair pair) {
        byte[] der = pair.getPublic().getEncoded();
        return Base64.getEncoder().encodeToString(Arrays.copyOfRange(der, der.length - 32, der.length));
    }

    static String sign(KeyPair pair, String timestamp, byte[] body) throws Exception {
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(pair.getPrivate());
        signer.update((timestamp + "|").getBytes(StandardCharsets.UTF_8));
        signer.update(body);
        return Base64.getEncoder().encodeToString(signer.sign());
    }

    @Test
    void a_body_signed_with_the_account_key_passes() throws Exception {
        String timestamp = Long.toString(NOW.getEpochSecond() - 10);
        assertThatCode(() -> verifier.verify(timestamp, sign(keys, timestamp, BODY), BODY, NOW)).doesNotThrowAnyException();
    }

    @Test
    void a_changed_body_another_key_or_another_timestamp_is_refused_with_401() throws Exception {
        String timestamp = Long.toString(NOW.getEpochSecond());
        String signature = sign(keys, timestamp, BODY);
        byte[] tampered = new String(BODY, StandardCharsets.UTF_8).replace("answered", "hangup").getBytes(StandardCharsets.UTF_8);
        assertThat(refusal(timestamp, signature, tampered).status().value()).isEqualTo(401);
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertThat(refusal(timestamp, sign(other, timestamp, BODY), BODY).status().value()).isEqualTo(401);
        assertThat(refusal(Long.toString(NOW.getEpochSecond() - 1), signature, BODY).status().value()).isEqualTo(401);
        assertThat(refusal(timestamp, "not base64!", BODY).type().toString()).isEqualTo("/problems/webhook-signature-invalid");
        assertThat(refusal(null, signature, BODY).status().value()).isEqualTo(401);
    }

    @Test
    void a_timestamp_more_than_five_minutes_away_is_refused_even_when_signed() throws Exception {
        String old = Long.toString(NOW.getEpochSecond() - 301);
        ApiProblem problem = refusal(old, sign(keys, old, BODY), BODY);
        assertThat(problem.status().value()).isEqualTo(400);
        assertThat(problem.type().toString()).isEqualTo("/problems/webhook-timestamp-stale");
        String future = Long.toString(NOW.getEpochSecond() + 301);
        assertThat(refusal(future, sign(keys, future, BODY), BODY).status().value()).isEqualTo(400);
    }

    @Test
    void a_malleated_truncated_or_padded_signature_is_refused() throws Exception {
        String timestamp = Long.toString(NOW.getEpochSecond());
        byte[] genuine = Base64.getDecoder().decode(sign(keys, timestamp, BODY));
        // S + L is the same point arithmetic but not canonical: RFC 8032 (and the JDK) refuse it, so must we.
        java.math.BigInteger order = java.math.BigInteger.TWO.pow(252).add(new java.math.BigInteger("27742317777372353535851937790883648493"));
        byte[] s = Arrays.copyOfRange(genuine, 32, 64);
        reverse(s);
        byte[] malleated = new java.math.BigInteger(1, s).add(order).toByteArray();
        reverse(malleated);
        byte[] forged = genuine.clone();
        Arrays.fill(forged, 32, 64, (byte) 0);
        System.arraycopy(malleated, 0, forged, 32, Math.min(32, malleated.length));
        assertThat(refusal(timestamp, Base64.getEncoder().encodeToString(forged), BODY).status().value()).isEqualTo(401);
        assertThat(refusal(timestamp, Base64.getEncoder().encodeToString(Arrays.copyOf(genuine, 63)), BODY).status().value())
                .isEqualTo(401);
        assertThat(refusal(timestamp, Base64.getEncoder().encodeToString(Arrays.copyOf(genuine, 65)), BODY).status().value())
                .isEqualTo(401);
        assertThat(refusal(timestamp, Base64.getEncoder().encodeToString(new byte[64]), BODY).status().value()).isEqualTo(401);
        assertThatCode(() -> verifier.verify(timestamp, Base64.getEncoder().encodeToString(genuine), BODY, NOW))
                .as("the genuine one still passes").doesNotThrowAnyException();
    }

    @Test
    void the_signed_message_is_the_timestamp_a_bar_and_the_body_as_received() throws Exception {
        String timestamp = Long.toString(NOW.getEpochSecond());
        byte[] withBar = ("|" + new String(BODY, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        // Moving the bar across the boundary keeps the concatenation the same bytes only if the bar is not ours.
        assertThat(refusal(timestamp + "|", sign(keys, timestamp, BODY), BODY).status().value()).isEqualTo(400);
        assertThat(refusal(timestamp, sign(keys, timestamp, BODY), withBar).status().value()).isEqualTo(401);
        assertThat(refusal(timestamp, sign(keys, timestamp + "|", BODY), BODY).status().value()).isEqualTo(401);
    }

    @Test
    void a_key_that_is_not_32_bytes_is_refused_at_startup() {
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> new WebhookSignature(Base64.getEncoder().encodeToString(new byte[31]), Duration.ofSeconds(300))))
                .isNotNull();
    }

    private static void reverse(byte[] bytes) {
        for (int i = 0, j = bytes.length - 1; i < j; i++, j--) {
            byte t = bytes[i];
            bytes[i] = bytes[j];
            bytes[j] = t;
        }
    }

    @Test
    void without_a_configured_key_nothing_passes() throws Exception {
        String timestamp = Long.toString(NOW.getEpochSecond());
        WebhookSignature unconfigured = new WebhookSignature(null, Duration.ofSeconds(300));
        assertThat(catchThrowableOfType(ApiProblem.class,
                () -> unconfigured.verify(timestamp, sign(keys, timestamp, BODY), BODY, NOW)).status().value()).isEqualTo(401);
    }

    private static ApiProblem refusal(String timestamp, String signature, byte[] body) {
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> verifier.verify(timestamp, signature, body, NOW));
        assertThat(problem).as("refused").isNotNull();
        return problem;
    }
}
