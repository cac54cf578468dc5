package io.callcenter.asterisk.ami;

import io.callcenter.asterisk.AsteriskException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A small Asterisk Manager Interface client: actions with ids over one TCP connection, each answered by its
 * response; events are switched off at login (the user may not read any class anyway). Connects on the first action
 * and again on the next one after the connection broke: what was in flight then fails, nothing is resent (an action
 * such as MixMonitor is not idempotent, its caller decides).
 */
public final class AmiClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AmiClient.class);

    /** Opens a connection to the manager port; a fake in tests. */
    public interface Transport {
        Connection open() throws IOException;
    }

    public interface Connection extends AutoCloseable {
        /** One line without its CR LF, or null at the end of the stream. */
        String readLine() throws IOException;

        void write(String text) throws IOException;

        @Override
        void close();
    }

    private final Transport transport;
    private final String username;
    private final String secret;
    private final Duration timeout;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Waiting> pending = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Connection connection;
    private volatile boolean closed;

    public AmiClient(Transport transport, String username, String secret, Duration timeout) {
        this.transport = transport;
        this.username = username;
        this.secret = secret;
        this.timeout = timeout;
    }

    /** A plain TCP transport to {@code host:port}. */
    public static Transport tcp(String host, int port, Duration connectTimeout) {
        return () -> {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            socket.setTcpNoDelay(true);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            return new Connection() {
                @Override
                public String readLine() throws IOException {
                    return in.readLine();
                }

                @Override
                public void write(String text) throws IOException {
                    out.write(text.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }

                @Override
                public void close() {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // Closing a broken socket: nothing left to do.
                    }
                }
            };
        };
    }

    /**
     * Sends an action and waits for its response. {@code Response: Error} (e.g. "No such channel") throws an
     * {@link AsteriskException} with status 404 when the channel is gone, 400 otherwise; a broken or silent
     * connection throws one with status 503.
     */
    public Map<String, String> action(String name, Map<String, String> fields) {
        Map<String, String> response = send(name, fields);
        if (!"Success".equalsIgnoreCase(response.get("Response"))) {
            String message = response.getOrDefault("Message", "refused");
            throw new AsteriskException("AMI " + name + ": " + message, notFound(message) ? 404 : 400, null);
        }
        return response;
    }

    private static boolean notFound(String message) {
        String lower = message.toLowerCase(java.util.Locale.ROOT);
        return lower.contains("no such channel") || lower.contains("not found");
    }

    private Map<String, String> send(String name, Map<String, String> fields) {
        Connection current = connection();
        String id = Long.toString(ids.incrementAndGet());
        CompletableFuture<Map<String, String>> answer = new CompletableFuture<>();
        pending.put(id, new Waiting(current, answer));
        try {
            Map<String, String> message = new LinkedHashMap<>();
            message.put("Action", name);
            message.put("ActionID", id);
            message.putAll(fields);
            synchronized (current) {
                current.write(format(message));
            }
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            broken(current, e);
            throw new AsteriskException("AMI " + name + ": " + e.getMessage(), 503, e);
        } catch (TimeoutException e) {
            throw new AsteriskException("AMI " + name + ": no response within " + timeout, 503, e);
        } catch (ExecutionException e) {
            throw new AsteriskException("AMI " + name + ": " + e.getCause().getMessage(), 503, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AsteriskException("AMI " + name + ": interrupted", 503, e);
        } finally {
            pending.remove(id);
        }
    }

    private Connection connection() {
        Connection current = connection;
        if (current != null) {
            return current;
        }
        lock.lock();
        try {
            if (connection == null) {
                if (closed) {
                    throw new AsteriskException("AMI client closed", 503, null);
                }
                connection = login();
            }
            return connection;
        } catch (IOException e) {
            throw new AsteriskException("AMI login: " + e.getMessage(), 503, e);
        } finally {
            lock.unlock();
        }
    }

    private Connection login() throws IOException {
        Connection opened = transport.open();
        try {
            String banner = opened.readLine();
            if (banner == null || !banner.startsWith("Asterisk Call Manager")) {
                throw new IOException("not an Asterisk manager: " + banner);
            }
            Map<String, String> login = new LinkedHashMap<>();
            login.put("Action", "Login");
            login.put("ActionID", "login-" + ids.incrementAndGet());
            login.put("Username", username);
            login.put("Secret", secret);
            login.put("Events", "off");
            opened.write(format(login));
            // Asterisk may send an event (FullyBooted) before the login's response: skip to the response.
            Map<String, String> response;
            do {
                response = readMessage(opened);
            } while (response != null && !response.containsKey("Response"));
            if (response == null || !"Success".equalsIgnoreCase(response.get("Response"))) {
                throw new IOException("login refused: " + (response == null ? "connection closed" : response.get("Message")));
            }
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
        Thread.ofVirtual().name("ami-reader").start(() -> readResponses(opened));
        log.info("AMI connected as {}", username);
        return opened;
    }

    private void readResponses(Connection from) {
        try {
            for (Map<String, String> message; (message = readMessage(from)) != null; ) {
                String id = message.get("ActionID");
                if (message.containsKey("Response") && id != null) {
                    Waiting waiting = pending.get(id);
                    if (waiting != null) {
                        waiting.answer.complete(message);
                    }
                }
                // Events (none are asked for) and responses nobody waits for any more are dropped.
            }
            broken(from, new IOException("connection closed by Asterisk"));
        } catch (IOException | RuntimeException e) {
            broken(from, e);
        }
    }

    private void broken(Connection which, Exception cause) {
        lock.lock();
        try {
            if (connection == which) {
                connection = null;
                if (!closed) {
                    log.warn("AMI connection lost: {}", cause.getMessage());
                }
            }
        } finally {
            lock.unlock();
        }
        which.close();
        // Only what was sent on the broken connection: an action sent on the next one meanwhile is not its business.
        pending.values().stream().filter(waiting -> waiting.on == which)
                .forEach(waiting -> waiting.answer.completeExceptionally(cause));
    }

    private record Waiting(Connection on, CompletableFuture<Map<String, String>> answer) {
    }

    /** Whether a login succeeded and the connection has not broken since. */
    public boolean connected() {
        return connection != null;
    }

    @Override
    public void close() {
        closed = true;
        Connection current = connection;
        if (current != null) {
            broken(current, new IOException("closed"));
        }
    }

    /** An action as the manager reads it: {@code Key: Value} lines, a blank line at the end. */
    static String format(Map<String, String> message) {
        StringBuilder text = new StringBuilder();
        message.forEach((key, value) -> {
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                // A line break would start a header of the caller's choosing (header injection).
                throw new IllegalArgumentException("AMI field " + key + " holds a line break");
            }
            text.append(key).append(": ").append(value).append("\r\n");
        });
        return text.append("\r\n").toString();
    }

    /**
     * The next message: lines up to a blank one, each split at its first colon. Null at the end of the stream; a
     * line without a colon (command output) is kept under {@code Output}.
     */
    static Map<String, String> readMessage(Connection from) throws IOException {
        Map<String, String> message = new LinkedHashMap<>();
        for (String line; (line = from.readLine()) != null; ) {
            if (line.isEmpty()) {
                if (message.isEmpty()) {
                    continue;
                }
                return message;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                message.merge("Output", line, (a, b) -> a + "\n" + b);
            } else {
                message.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        return message.isEmpty() ? null : message;
    }
}
