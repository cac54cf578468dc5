package io.callcenter.asterisk.ari;

import ch.loway.oss.ari4java.tools.ARIEncoder;
import ch.loway.oss.ari4java.tools.HttpClient;
import ch.loway.oss.ari4java.tools.HttpParam;
import ch.loway.oss.ari4java.tools.HttpResponse;
import ch.loway.oss.ari4java.tools.HttpResponseHandler;
import ch.loway.oss.ari4java.tools.RestException;
import ch.loway.oss.ari4java.tools.WsClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * ari4java's REST transport on the JDK's HTTP client, in place of its Netty client.
 *
 * <p>Why: ari4java 0.18.0's Netty client caps itself at 3 event-loop threads and 3 pooled connections and blocks
 * for each response, so at most three requests of all calls are in flight and every other call's lane queues behind
 * them (its issue #206: failures around 100 simultaneous calls). Here each request runs on the caller's own
 * (virtual) thread over a pool of keep-alive connections bounded below Asterisk's {@code sessionlimit}, so a slow
 * request holds up only its own call. ari4java still builds every request and parses every answer.
 *
 * <p>Each request is timed per operation (method and path with identifiers blanked) and outcome, for operators.
 */
final class JdkAriTransport implements HttpClient, WsClient {

    private static final Logger log = LoggerFactory.getLogger(JdkAriTransport.class);

    /** Path words of ARI's REST API; any other path segment is an identifier and is blanked in metric names. */
    private static final Set<String> ARI_WORDS = Set.of("channels", "bridges", "endpoints", "applications", "asterisk",
            "recordings", "playbacks", "sounds", "deviceStates", "mailboxes", "events", "answer", "ring", "dial", "hold",
            "mute", "moh", "play", "record", "snoop", "variable", "redirect", "silence", "dtmf", "continue", "move",
            "externalMedia", "create", "addChannel", "removeChannel", "videoSource", "subscription", "eventFilter",
            "live", "stored", "stop", "pause", "unmute", "copy", "file", "config", "dynamic", "info", "ping", "modules",
            "logging", "rtp_statistics", "transfer_progress");

    private final java.net.http.HttpClient http;
    private final URI base;
    private final String authorization;
    private final Duration timeout;
    private final Semaphore connections;
    private final MeterRegistry meters;

    JdkAriTransport(String baseUrl, String username, String password, int maxConnections, Duration timeout,
                    MeterRegistry meters) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
        this.connections = new Semaphore(maxConnections);
        this.meters = meters == null ? new CompositeMeterRegistry() : meters;
        this.http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    @Override
    public String httpActionSync(String uri, String method, List<HttpParam> parametersQuery, String body,
                                 List<HttpResponse> errors) throws RestException {
        return new String(send(uri, method, parametersQuery, body, errors), StandardCharsets.UTF_8);
    }

    @Override
    public byte[] httpActionSyncAsBytes(String uri, String method, List<HttpParam> parametersQuery, String body,
                                        List<HttpResponse> errors) throws RestException {
        return send(uri, method, parametersQuery, body, errors);
    }

    @Override
    public void httpActionAsync(String uri, String method, List<HttpParam> parametersQuery, String body,
                                List<HttpResponse> errors, HttpResponseHandler responseHandler, boolean binary) {
        // The gateway only makes synchronous calls (each on its call's own virtual thread); nothing async exists.
        throw new UnsupportedOperationException("asynchronous ARI requests are not used");
    }

    private byte[] send(String uri, String method, List<HttpParam> query, String body, List<HttpResponse> errors)
            throws RestException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("ari" + uri + queryString(query)))
                .timeout(timeout)
                .header("Authorization", authorization);
        if (body == null || body.isEmpty()) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        long started = System.nanoTime();
        String outcome = "io_error";
        try {
            connections.acquire();
            java.net.http.HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            } finally {
                connections.release();
            }
            int status = response.statusCode();
            outcome = String.valueOf(status);
            if (status / 100 == 2) {
                return response.body();
            }
            throw error(status, new String(response.body(), StandardCharsets.UTF_8), errors);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = "interrupted";
            throw new RestException("ARI request interrupted: " + method + " " + uri, e);
        } catch (IOException e) {
            throw new RestException("ARI request failed: " + method + " " + uri + ": " + e, e);
        } finally {
            long elapsed = System.nanoTime() - started;
            // The call path's trace (bench/README.md, "Tracing one call"): every round trip with its duration.
            if (log.isDebugEnabled()) {
                log.debug("ARI {} {} -> {} in {} us", method, uri, outcome, elapsed / 1000);
            }
            Timer.builder("callcenter.ari.requests")
                    .description("ARI REST requests by operation and outcome (HTTP status, io_error)")
                    .tag("operation", operation(method, uri))
                    .tag("outcome", outcome)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(10))
                    .register(meters)
                    .record(elapsed, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** As ari4java's own client reports errors: the documented description of the status when there is one. */
    private static RestException error(int status, String responseBody, List<HttpResponse> errors) {
        if (errors != null) {
            for (HttpResponse documented : errors) {
                if (documented.getCode() == status) {
                    return new RestException(documented.getDescription(), responseBody, status);
                }
            }
        }
        return new RestException("Client error: " + status + " " + responseBody, status);
    }

    private static String queryString(List<HttpParam> params) {
        if (params == null || params.isEmpty()) {
            return "";
        }
        StringBuilder query = new StringBuilder();
        for (HttpParam param : params) {
            if (param.getValue() == null || param.getValue().isEmpty()) {
                continue;
            }
            query.append(query.isEmpty() ? '?' : '&').append(param.getName()).append('=')
                    .append(ARIEncoder.encodeUrl(param.getValue()));
        }
        return query.toString();
    }

    /** "POST /channels/{id}/answer": identifiers blanked, so the operation is a bounded label. */
    static String operation(String method, String uri) {
        String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
        StringBuilder op = new StringBuilder(method).append(' ');
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                op.append('/').append(ARI_WORDS.contains(segment) ? segment : "{id}");
            }
        }
        return op.toString();
    }

    @Override
    public WsClientConnection connect(HttpResponseHandler callback, String url, List<HttpParam> lParamQuery) {
        // Events come through AriEventStream (ordered delivery); ari4java's websocket is never opened.
        throw new UnsupportedOperationException("ARI events are read by AriEventStream");
    }

    @Override
    public boolean isWsConnected() {
        return false;
    }

    @Override
    public void destroy() {
        http.shutdownNow();
    }
}
