import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * The load generator of the webhook intake benchmark (bench/README.md): a process of its own, so the app's JVM
 * carries none of its work. Open loop: request i is due at start + i / rate whatever happened to the ones before,
 * and its latency is counted from when it was due (a slow answer delays the next ones, and that delay counts), so
 * a saturated server cannot hide behind a client that politely waits. Each of the {@code connections} threads
 * keeps one HTTP/1.1 keep-alive connection, reopened when the server closes it.
 *
 * <pre>
 * java WebhookLoad.java host port webhook rate seconds connections pkcs8KeyBase64 idPrefix badEvery
 * java WebhookLoad.java host port get:/actuator/health/liveness rate seconds connections
 * </pre>
 * Webhooks are Call Control events (five per call, the sizes Telnyx sends), signed beforehand with the given
 * Ed25519 key over {@code timestamp|body} (so signing costs the run nothing); every {@code badEvery}-th is signed
 * with another key and must be refused. Prints one line {@code RESULT key=value ...}; exit 0 even when requests
 * failed (the caller judges).
 */
public class WebhookLoad {

    private static final String[] TYPES = {"call.initiated", "call.answered", "call.machine.detection.ended",
            "call.bridged", "call.hangup"};

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String mode = args[2];
        int rate = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        int connections = Integer.parseInt(args[5]);
        int total = rate * seconds;
        byte[][] requests = new byte[total][];
        boolean[] bad = new boolean[total];
        if (mode.equals("webhook")) {
            PrivateKey key = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(args[6])));
            PrivateKey stranger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();
            String prefix = args[7];
            int badEvery = Integer.parseInt(args[8]);
            long timestamp = Instant.now().getEpochSecond();
            IntStream.range(0, total).parallel().forEach(i -> {
                bad[i] = badEvery > 0 && i % badEvery == badEvery - 1;
                String id = prefix + (bad[i] ? "-bad-" : "-") + i;
                String body = event(id, i);
                requests[i] = webhook(host, port, body, timestamp, sign(bad[i] ? stranger : key, timestamp, body));
            });
        } else if (mode.startsWith("get:")) {
            byte[] get = ("GET " + mode.substring(4) + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            Arrays.fill(requests, get);
        } else {
            throw new IllegalArgumentException("mode is webhook or get:/path");
        }

        long[] fromDue = new long[total];
        long[] service = new long[total];
        long[] ownLag = new long[total];
        int[] status = new int[total];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger reconnects = new AtomicInteger();
        System.out.println("START");
        System.out.flush();
        long start = System.nanoTime() + 50_000_000;
        long[] lastDone = new long[connections];
        Thread[] workers = new Thread[connections];
        for (int w = 0; w < connections; w++) {
            int worker = w;
            workers[w] = Thread.ofPlatform().name("load-" + w).start(() -> {
                Connection connection = null;
                for (int i; (i = next.getAndIncrement()) < total; ) {
                    long claimed = System.nanoTime();
                    long due = start + (long) (i * (1e9 / rate));
                    for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                        LockSupport.parkNanos(wait);
                    }
                    long sent = System.nanoTime();
                    // The generator's own lateness: from when it could have sent (due, or when a connection came free
                    // if all were waiting for the server, which is the server's delay) to when it did.
                    ownLag[i] = sent - Math.max(due, claimed);
                    try {
                        if (connection == null) {
                            connection = new Connection(host, port);
                            reconnects.incrementAndGet();
                        }
                        status[i] = connection.exchange(requests[i]);
                        if (connection.closed) {
                            connection.close();
                            connection = null;
                        }
                    } catch (IOException e) {
                        status[i] = -1;
                        if (connection != null) {
                            connection.close();
                        }
                        connection = null;
                    }
                    long done = System.nanoTime();
                    fromDue[i] = done - due;
                    service[i] = done - sent;
                    lastDone[worker] = Math.max(lastDone[worker], done);
                }
                if (connection != null) {
                    connection.close();
                }
            });
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long end = Arrays.stream(lastDone).max().orElse(start);
        int ok = 0, refusedBad = 0, acceptedBad = 0, refusedGood = 0, failed = 0;
        for (int i = 0; i < total; i++) {
            if (status[i] < 0) {
                failed++;
            } else if (bad[i]) {
                if (status[i] == 401) {
                    refusedBad++;
                } else {
                    acceptedBad++;
                }
            } else if (status[i] == 200) {
                ok++;
            } else {
                refusedGood++;
            }
        }
        long[] dueSorted = fromDue.clone();
        long[] serviceSorted = service.clone();
        Arrays.sort(dueSorted);
        Arrays.sort(serviceSorted);
        long[] lagSorted = ownLag.clone();
        Arrays.sort(lagSorted);
        System.out.printf("RESULT mode=%s target=%d sent=%d seconds=%.3f achieved=%.1f ok=%d refusedBad=%d acceptedBad=%d"
                        + " refusedGood=%d failed=%d connections=%d opened=%d p50=%.2f p99=%.2f p999=%.2f max=%.2f"
                        + " serviceP50=%.2f serviceP99=%.2f ownLagP99=%.2f ownLagMax=%.2f%n",
                mode.startsWith("get:") ? "get" : mode, rate, total, (end - start) / 1e9, total / ((end - start) / 1e9),
                ok, refusedBad, acceptedBad, refusedGood, failed, connections, reconnects.get(),
                ms(dueSorted, 0.50), ms(dueSorted, 0.99), ms(dueSorted, 0.999), dueSorted[total - 1] / 1e6,
                ms(serviceSorted, 0.50), ms(serviceSorted, 0.99), ms(lagSorted, 0.99), lagSorted[total - 1] / 1e6);
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * quantile) - 1)] / 1e6;
    }

    /** A Call Control webhook as Telnyx sends it; five events per call, the call's attempt in client_state. */
    private static String event(String id, int i) {
        int call = i / TYPES.length;
        String type = TYPES[i % TYPES.length];
        String attempt = new UUID(0x5EEDL, call).toString();
        String clientState = Base64.getEncoder().encodeToString(attempt.getBytes(StandardCharsets.US_ASCII));
        String control = "v3:bench-" + call;
        return """
                {"data":{"record_type":"event","event_type":"%s","id":"%s","occurred_at":"%s","payload":{\
                "call_control_id":"%s","call_leg_id":"leg-%d","call_session_id":"session-%d","connection_id":"conn-1",\
                "client_state":"%s","from":"+15550100","to":"+1212555%04d","direction":"outgoing","state":"bridging",\
                "start_time":"%s"%s}},"meta":{"attempt":1,"delivered_to":"https://example.test/webhooks/telnyx"}}"""
                .formatted(type, id, Instant.now().plusMillis(i % TYPES.length), control, call, call, clientState,
                        call % 10000, Instant.now(),
                        type.equals("call.hangup") ? ",\"hangup_cause\":\"normal_clearing\",\"hangup_source\":\"callee\""
                                : type.equals("call.machine.detection.ended") ? ",\"result\":\"human\"" : "");
    }

    private static String sign(PrivateKey key, long timestamp, String body) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update((timestamp + "|" + body).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] webhook(String host, int port, String body, long timestamp, String signature) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /webhooks/telnyx HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n"
                + "Content-Type: application/json\r\nUser-Agent: telnyx-webhooks\r\n"
                + "telnyx-timestamp: " + timestamp + "\r\ntelnyx-signature-ed25519: " + signature + "\r\n"
                + "Content-Length: " + content.length + "\r\n\r\n";
        byte[] request = Arrays.copyOf(head.getBytes(StandardCharsets.US_ASCII), head.length() + content.length);
        System.arraycopy(content, 0, request, head.length(), content.length);
        return request;
    }

    /** One keep-alive HTTP/1.1 connection: writes a request, reads the whole answer, tells its status. */
    private static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        boolean closed;

        Connection(String host, int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
        }

        int exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            String statusLine = line();
            if (statusLine.length() < 12) {
                throw new IOException("no status line: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            for (String header; !(header = line()).isEmpty(); ) {
                String lower = header.toLowerCase();
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).strip());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    closed = true;
                }
            }
            if (chunked) {
                for (long size; (size = Long.parseLong(line().split(";")[0].strip(), 16)) > 0; ) {
                    skip(size);
                    line();
                }
                line();
            } else if (length > 0) {
                skip(length);
            }
            return status;
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                long skipped = in.skip(n);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("closed mid-body");
                    }
                    skipped = 1;
                }
                n -= skipped;
            }
        }

        private String line() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    bytes.write(c);
                }
            }
            return bytes.toString(StandardCharsets.US_ASCII);
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // gone anyway
            }
        }
    }
}
