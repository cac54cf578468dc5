package io.callcenter.dialer.telnyx;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Ed25519 verification of one Telnyx webhook (a 1.2 KB call.answered body), the JDK's provider against BouncyCastle
 * and against object reuse, in one run (issue 14: 2,000 verified webhooks/s). On demand only ({@code make
 * bench-verify}); prints each way's cost as a ratio to the JDK's verifier as the app used it (a new Signature per
 * webhook). Every way must accept the genuine signature and refuse a tampered body before anything is timed, or
 * the run prints no figures.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WebhookVerifyBench {

    private static final Instant NOW = Instant.parse("2026-11-28T03:00:00Z");

    private byte[] body;
    private String timestamp;
    private String signatureBase64;
    private byte[] signature;
    private byte[] message;
    private PublicKey jdkKey;
    private Signature jdkReused;
    private Ed25519PublicKeyParameters bcKey;
    private Ed25519Signer bcSigner;
    private WebhookSignature app;

    @Setup
    public void setUp() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        body = ("{\"data\":{\"record_type\":\"event\",\"event_type\":\"call.answered\",\"id\":\"0ccc7b54-4df3-4bca-a65a-3da1ecc777f0\","
                + "\"occurred_at\":\"2026-11-28T03:00:00.000000Z\",\"payload\":{\"call_control_id\":\"v3:" + "x".repeat(700)
                + "\",\"client_state\":\"YXR0ZW1wdA==\",\"from\":\"+15550100\",\"to\":\"+12125550101\"}},"
                + "\"meta\":{\"attempt\":1,\"delivered_to\":\"https://example.invalid/webhooks/telnyx\"}}").getBytes(StandardCharsets.UTF_8);
        timestamp = Long.toString(NOW.getEpochSecond());
        message = (timestamp + "|" + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(keys.getPrivate());
        signer.update(message);
        signature = signer.sign();
        signatureBase64 = Base64.getEncoder().encodeToString(signature);
        byte[] der = keys.getPublic().getEncoded();
        String raw = Base64.getEncoder().encodeToString(Arrays.copyOfRange(der, der.length - 32, der.length));
        jdkKey = keys.getPublic();
        jdkReused = Signature.getInstance("Ed25519");
        bcKey = WebhookSignature.publicKey(raw);
        bcSigner = new Ed25519Signer();
        bcSigner.init(false, bcKey);
        app = new WebhookSignature(raw, Duration.ofSeconds(300));
        byte[] tampered = body.clone();
        tampered[tampered.length - 3] ^= 1;
        if (!jdkFresh() || !jdkReused() || !bcSigner() || !bcDirect() || appVerify() != body.length
                || WebhookSignature.matches(bcKey, timestamp, signatureBase64, tampered)) {
            throw new IllegalStateException("a verifier accepted a tampered body or refused the genuine one");
        }
    }

    /** What the app did before: a new JCA Signature per webhook (provider lookup, init, verify). */
    @Benchmark
    public boolean jdkFresh() throws Exception {
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(jdkKey);
        verifier.update(message);
        return verifier.verify(signature);
    }

    /** The JDK's provider, its Signature object kept per thread (the "reuse" idea). */
    @Benchmark
    public boolean jdkReused() throws Exception {
        jdkReused.initVerify(jdkKey);
        jdkReused.update(message);
        return jdkReused.verify(signature);
    }

    /** BouncyCastle through its Signer (it buffers the message again before verifying). */
    @Benchmark
    public boolean bcSigner() {
        bcSigner.update(message, 0, message.length);
        return bcSigner.verifySignature(signature);
    }

    /** BouncyCastle's Ed25519 on the key's decoded point, the message as one array: what the app does now. */
    @Benchmark
    public boolean bcDirect() {
        return bcKey.verify(org.bouncycastle.math.ec.rfc8032.Ed25519.Algorithm.Ed25519, null, message, 0, message.length,
                signature, 0);
    }

    /** The app's whole check as the controller calls it: timestamp window, base64, message assembly, BouncyCastle. */
    @Benchmark
    public int appVerify() {
        app.verify(timestamp, signatureBase64, body, NOW);
        return body.length;
    }

    public static void main(String[] args) throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(WebhookVerifyBench.class.getName() + "\\.")
                .jvmArgsAppend("-Xmx256m")
                .build()).run();
        Map<String, double[]> scores = new TreeMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            scores.put(name, new double[]{r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
        }
        double[] baseline = scores.get("jdkFresh");
        if (baseline == null || scores.size() != 5) {
            System.out.println("INVALID RUN: not every way was measured: " + scores.keySet());
            System.exit(1);
        }
        System.out.printf("%n%-12s %14s %12s %14s%n", "way", "us/verify", "+-", "vs jdkFresh");
        scores.forEach((name, s) -> System.out.printf("%-12s %14.1f %12.1f %13.2fx%n", name, s[0], s[1], s[0] / baseline[0]));
        System.out.printf("cores at 2,000 webhooks/s: jdkFresh %.2f, appVerify %.2f%n",
                baseline[0] * 2000 / 1e6, scores.get("appVerify")[0] * 2000 / 1e6);
    }
}
