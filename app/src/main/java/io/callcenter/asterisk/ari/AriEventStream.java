package io.callcenter.asterisk.ari;

import io.callcenter.asterisk.AsteriskEventListener;
import io.callcenter.asterisk.AsteriskInfo;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The ARI events websocket, with our own client rather than ari4java's.
 *
 * <p>Why: ari4java hands every received frame to the next thread of a 3-thread Netty group
 * ({@code NettyHttpClient.onWSSuccess -> group.execute}), so two events of one call can overtake each other before
 * any of our code runs. The JDK client delivers one message at a time and only asks for the next once we return,
 * so the order Asterisk sent is the order listeners see. We only parse and route here; the work runs elsewhere.
 *
 * <p>Asterisk does not queue events for a disconnected application, so after every (re)connect the listener is told
 * to resynchronise before any new event is delivered.
 */
final class AriEventStream implements WebSocket.Listener {

    private static final Logger log = LoggerFactory.getLogger(AriEventStream.class);

    private final AriProperties properties;
    private final AriEventParser parser = new AriEventParser();
    private final AsteriskEventListener listener;
    private final Supplier<AsteriskInfo> infoFetcher;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final ScheduledExecutorService reconnector = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("ari-reconnect").daemon().factory());
    private final StringBuilder partial = new StringBuilder();

    private volatile WebSocket socket;
    private volatile boolean connected;
    private volatile boolean stopped;
    private Duration nextDelay;

    /** Asterisk's event timestamp to our delivery, and how long the listeners took on this thread. */
    private final Timer lag;
    private final Timer delivery;

    AriEventStream(AriProperties properties, AsteriskEventListener listener, Supplier<AsteriskInfo> infoFetcher,
                   MeterRegistry meters) {
        this.properties = properties;
        this.listener = listener;
        this.infoFetcher = infoFetcher;
        this.nextDelay = properties.reconnectMinDelay();
        MeterRegistry registry = meters == null ? new CompositeMeterRegistry() : meters;
        this.lag = Timer.builder("callcenter.ari.event.lag")
                .description("From an ARI event's timestamp in Asterisk to its delivery to the application's listeners")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
        this.delivery = Timer.builder("callcenter.ari.event.delivery")
                .description("Time the listeners spend on the event stream's thread per event (routing only)")
                .register(registry);
    }

    void start() {
        reconnector.execute(this::connect);
    }

    /** Stopped on purpose (shutdown, or the floor handed to another instance): no disconnection is reported. */
    void stop() {
        stopped = true;
        connected = false;
        reconnector.shutdownNow();
        WebSocket current = socket;
        if (current != null) {
            current.sendClose(WebSocket.NORMAL_CLOSURE, "shutdown");
            current.abort();
        }
    }

    boolean connected() {
        return connected;
    }

    private void connect() {
        if (stopped) {
            return;
        }
        String credentials = properties.username() + ":" + properties.password();
        URI uri = URI.create(properties.baseUrl().replaceFirst("^http", "ws") + "ari/events?app="
                + URLEncoder.encode(properties.application(), StandardCharsets.UTF_8) + "&subscribeAll=false");
        http.newWebSocketBuilder()
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .connectTimeout(Duration.ofSeconds(3))
                .buildAsync(uri, this)
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        log.debug("ARI events websocket connect failed: {}", error.toString());
                        scheduleReconnect();
                    }
                });
    }

    private void scheduleReconnect() {
        if (stopped) {
            return;
        }
        Duration delay = nextDelay;
        nextDelay = nextDelay.multipliedBy(2).compareTo(properties.reconnectMaxDelay()) > 0
                ? properties.reconnectMaxDelay() : nextDelay.multipliedBy(2);
        try {
            reconnector.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // stop() raced with a failure: nothing to do.
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        if (stopped) {
            // Connected just as it was stopped: another instance may own the floor now.
            webSocket.abort();
            return;
        }
        try {
            AsteriskInfo info = infoFetcher.get();
            if (properties.eventFilter()) {
                filterEvents();
            }
            nextDelay = properties.reconnectMinDelay();
            log.info("ARI events connected to Asterisk {} (started {})", info.version(), info.startedAt());
            listener.onConnected(info);
            // Connected (and healthy) only once every listener has resynchronised: before, a phone registering
            // could meet an agent endpoint not pushed yet (seen as a 401 right after start).
            connected = true;
        } catch (RuntimeException e) {
            log.warn("ARI connected but Asterisk info failed; retrying", e);
            webSocket.abort();
            onClosedOrFailed();
            return;
        }
        webSocket.request(1);
    }

    private static final tools.jackson.databind.json.JsonMapper FILTER_ANSWER =
            tools.jackson.databind.json.JsonMapper.builder().build();

    /**
     * Asks Asterisk to send only the event types {@link AriEventParser} reads: without it every variable set, dialplan
     * step, bridge enter/leave and caller-ID update of every call is serialised, sent and parsed for nothing. Asterisk
     * forgets the filter with the application, so it is set on every connect; on failure all events still flow.
     * The body is the filter itself ({@code {"allowed": [...]}}): Asterisk answers 200 to a body without an
     * {@code allowed} key and changes nothing, so the answer's {@code events_allowed} is checked.
     */
    private void filterEvents() {
        String allowed = AriEventParser.TYPES.stream().map(type -> "{\"type\":\"" + type + "\"}")
                .collect(java.util.stream.Collectors.joining(","));
        String credentials = properties.username() + ":" + properties.password();
        HttpRequest request = HttpRequest.newBuilder(URI.create(properties.baseUrl() + "ari/applications/"
                        + URLEncoder.encode(properties.application(), StandardCharsets.UTF_8) + "/eventFilter"))
                .timeout(Duration.ofSeconds(3))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"allowed\":[" + allowed + "]}"))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                log.warn("ARI event filter refused ({}): {}", response.statusCode(), response.body());
            } else if (FILTER_ANSWER.readTree(response.body()).path("events_allowed").size() != AriEventParser.TYPES.size()) {
                log.warn("ARI event filter not taken, every event still flows: {}", response.body());
            } else {
                log.info("ARI event filter set: {} event types", AriEventParser.TYPES.size());
            }
        } catch (java.io.IOException e) {
            log.warn("ARI event filter not set: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String json = partial.toString();
            partial.setLength(0);
            try {
                if (log.isTraceEnabled()) {
                    log.trace("ARI event {}", json);
                }
                parser.parse(json).ifPresent(event -> {
                    long received = System.nanoTime();
                    Duration behind = Duration.between(event.at(), Instant.now());
                    lag.record(behind.isNegative() ? Duration.ZERO : behind);
                    listener.onEvent(event);
                    delivery.record(System.nanoTime() - received, TimeUnit.NANOSECONDS);
                });
            } catch (RuntimeException e) {
                log.error("ARI event listener failed on {}", json, e);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        log.warn("ARI events websocket closed by Asterisk ({} {})", statusCode, reason);
        onClosedOrFailed();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        log.warn("ARI events websocket failed: {}", error.toString());
        onClosedOrFailed();
    }

    private void onClosedOrFailed() {
        partial.setLength(0);
        if (connected) {
            connected = false;
            listener.onDisconnected();
        }
        scheduleReconnect();
    }
}
