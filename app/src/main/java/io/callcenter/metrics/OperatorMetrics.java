package io.callcenter.metrics;

import io.callcenter.agent.AgentPresence;
import io.callcenter.call.CallUpdated;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What operators watch on {@code /actuator/prometheus} besides the ARI adapter's and the call lanes' own meters:
 * call setup time, live calls by direction, agents by state, the webhook inbox and the dialer. Figures read from
 * the database are cached for a few seconds, so a scrape costs at most four small indexed queries.
 */
@Component
class OperatorMetrics implements MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(OperatorMetrics.class);
    private static final Duration CACHE = Duration.ofSeconds(5);
    private static final Set<String> DIRECTIONS = Set.of("inbound", "outbound", "internal");

    private final MetricsRepository figures;
    private final Map<UUID, AgentPresence.State> agents = new ConcurrentHashMap<>();
    /** Calls already timed: a call is answered once, but screens are told of it many times. */
    private final Set<UUID> timed = ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry registry;
    private volatile Snapshot snapshot;

    OperatorMetrics(MetricsRepository figures) {
        this.figures = figures;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        for (String direction : DIRECTIONS) {
            Gauge.builder("callcenter.calls.active", this, m -> m.snapshot().calls().getOrDefault(direction, 0L))
                    .description("Calls not ended, by direction").tag("direction", direction).register(registry);
        }
        for (AgentPresence.State state : AgentPresence.State.values()) {
            Gauge.builder("callcenter.agents", this, m -> m.agentsIn(state))
                    .description("Agents by state (as the presence service derives it)")
                    .tag("state", state.name().toLowerCase()).register(registry);
        }
        Gauge.builder("callcenter.webhooks.inbox.size", this, m -> m.snapshot().inbox().size())
                .description("Carrier webhooks stored and not applied yet").register(registry);
        Gauge.builder("callcenter.webhooks.inbox.lag", this, m -> m.snapshot().inbox().oldestPending().toMillis() / 1000.0)
                .description("Age of the oldest webhook not applied yet").baseUnit("seconds").register(registry);
        Gauge.builder("callcenter.dialer.calls.in.flight", this, m -> m.snapshot().attemptsInFlight())
                .description("Dial attempts not ended").register(registry);
        Gauge.builder("callcenter.dialer.abandon.rate", this, m -> m.snapshot().abandonRate())
                .description("Today's abandoned share of calls answered by a person, all campaigns (UTC day)")
                .register(registry);
    }

    @EventListener
    void on(AgentPresence.StateChanged changed) {
        agents.put(changed.agentId(), changed.state());
    }

    /** The first time a call is seen talking, its setup time (creation to answer) is recorded. */
    @EventListener
    void on(CallUpdated call) {
        if ("ENDED".equals(call.state())) {
            timed.remove(call.callId());
            return;
        }
        MeterRegistry meters = registry;
        if (meters == null || !"TALKING".equals(call.state()) || !timed.add(call.callId())) {
            return;
        }
        // From the event, not the call's row: the row is written behind the call's steps and may not be there yet.
        if (call.createdAt() == null || call.answeredAt() == null) {
            log.debug("Setup time of call {} not recorded: no answer time", call.callId());
            return;
        }
        Timer.builder("callcenter.call.setup")
                .description("From a call's first leg entering the application to its answer")
                .tag("direction", call.direction())
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(meters).record(Duration.between(call.createdAt(), call.answeredAt()));
    }

    private long agentsIn(AgentPresence.State state) {
        return agents.values().stream().filter(state::equals).count();
    }

    private Snapshot snapshot() {
        Snapshot current = snapshot;
        long now = System.nanoTime();
        if (current == null || now - current.takenAt() > CACHE.toNanos()) {
            try {
                current = new Snapshot(now, figures.activeCallsByDirection(), figures.inbox(),
                        figures.attemptsInFlight(), figures.abandonRateToday());
            } catch (RuntimeException e) {
                // The database is away: keep showing the last figures rather than failing the scrape.
                log.debug("Metrics figures not refreshed: {}", e.toString());
                return current == null ? Snapshot.EMPTY : current;
            }
            snapshot = current;
        }
        return current;
    }

    private record Snapshot(long takenAt, Map<String, Long> calls, MetricsRepository.Inbox inbox,
                            long attemptsInFlight, double abandonRate) {
        static final Snapshot EMPTY = new Snapshot(0, Map.of(), new MetricsRepository.Inbox(0, Duration.ZERO), 0, 0);
    }
}
