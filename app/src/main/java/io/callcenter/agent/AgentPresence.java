package io.callcenter.agent;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.AsteriskEventListener;
import io.callcenter.asterisk.AsteriskGateway;
import io.callcenter.asterisk.AsteriskInfo;
import io.callcenter.asterisk.EndpointSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The state of every agent, kept by the server: OFFLINE (no reachable phone), AVAILABLE, ON_CALL, WRAP_UP, BREAK.
 *
 * <p>Only AVAILABLE and BREAK are the agent's choice; the rest follows from facts: the phone's registration (ARI
 * endpoint events), a call holding the agent, and the wrap-up after it. All changes run one at a time on a single
 * executor, so facts arriving from the ARI stream, call lanes, REST and timers never interleave, and blocking work
 * (the state log) never runs on the ARI event thread. Every change of the resulting state is logged and published.
 */
public final class AgentPresence implements AsteriskEventListener {

    private static final Logger log = LoggerFactory.getLogger(AgentPresence.class);

    public enum State { OFFLINE, AVAILABLE, ON_CALL, WRAP_UP, BREAK }

    /** Published on every change of an agent's state. */
    public record StateChanged(UUID agentId, String extension, State state, Instant since, UUID callId, String reason) {
    }

    /** What the agent's state rests on; mutated only on the presence executor. */
    private static final class Facts {
        final Agent agent;
        boolean registered;
        State chosen = State.AVAILABLE;
        UUID activeCall;
        UUID wrapUpCall;
        StateChanged current;

        Facts(Agent agent) {
            this.agent = agent;
        }

        State derived() {
            if (activeCall != null) {
                return State.ON_CALL;
            }
            if (wrapUpCall != null) {
                return State.WRAP_UP;
            }
            return registered ? chosen : State.OFFLINE;
        }
    }

    private final AgentRepository agents;
    private final AsteriskGateway asterisk;
    private final Clock clock;
    private final Executor serial;
    private final ScheduledExecutorService timers;
    private final Consumer<StateChanged> publisher;
    private final Map<UUID, Facts> facts = new ConcurrentHashMap<>();
    /**
     * Phones by extension, on the presence executor: an agent's extension is written once, when they are created,
     * so a phone's agent once known is known for good. Every channel of a phone, and every call of the carrier's
     * endpoint, changes an endpoint's state: read from the database each time, that was a query per event.
     */
    private final Map<String, UUID> agentOfPhone = new ConcurrentHashMap<>();
    /** Endpoints found to be no agent's (the carrier's), not asked again until then: an agent created since is. */
    private final Map<String, Instant> notAnAgentUntil = new ConcurrentHashMap<>();
    static final Duration NOT_AN_AGENT_FOR = Duration.ofSeconds(5);
    /** Read by routing from any thread; written only on the presence executor. */
    private final Map<UUID, StateChanged> published = new ConcurrentHashMap<>();
    /** Agents on break or in wrap-up; read by routing from any thread. */
    private final java.util.Set<UUID> resting = ConcurrentHashMap.newKeySet();

    AgentPresence(AgentRepository agents, AsteriskGateway asterisk, Clock clock, Executor serial,
                  ScheduledExecutorService timers, Consumer<StateChanged> publisher) {
        this.agents = agents;
        this.asterisk = asterisk;
        this.clock = clock;
        this.serial = serial;
        this.timers = timers;
        this.publisher = publisher;
    }

    // ------------------------------------------------------------------ queries (any thread)

    public StateChanged current(UUID agentId) {
        StateChanged state = published.get(agentId);
        return state != null ? state : new StateChanged(agentId, null, State.OFFLINE, clock.instant(), null, "unknown");
    }

    public State stateOf(UUID agentId) {
        return current(agentId).state();
    }

    // ------------------------------------------------------------------ facts

    /** The agent picks AVAILABLE or BREAK; picking AVAILABLE during wrap-up ends the wrap-up. */
    public void choose(UUID agentId, State chosen) {
        if (chosen != State.AVAILABLE && chosen != State.BREAK) {
            throw new IllegalArgumentException("an agent can only choose AVAILABLE or BREAK, not " + chosen);
        }
        serial.execute(() -> withFacts(agentId, f -> {
            f.chosen = chosen;
            agents.updateChosenState(agentId, chosen.name());
            if (chosen == State.AVAILABLE) {
                f.wrapUpCall = null;
            }
            return "chosen by agent";
        }));
    }

    void callStarted(UUID agentId, UUID callId) {
        serial.execute(() -> withFacts(agentId, f -> {
            f.activeCall = callId;
            f.wrapUpCall = null;
            return "call";
        }));
    }

    /** A call let the agent go before they took part (their phone did not answer): no wrap-up. */
    void callReleased(UUID agentId, UUID callId) {
        serial.execute(() -> withFacts(agentId, f -> {
            if (callId.equals(f.activeCall)) {
                f.activeCall = null;
            }
            return "released by call";
        }));
    }

    void callEnded(UUID agentId, UUID callId, Duration wrapUp) {
        serial.execute(() -> withFacts(agentId, f -> {
            if (callId.equals(f.activeCall)) {
                f.activeCall = null;
            }
            if (!wrapUp.isZero() && !wrapUp.isNegative()) {
                f.wrapUpCall = callId;
                timers.schedule(() -> wrapUpDone(agentId, callId, "wrap-up time over"), wrapUp.toMillis(), TimeUnit.MILLISECONDS);
            }
            return "call ended";
        }));
    }

    /** The agent finished the call's wrap-up (disposition given) or its time ran out. */
    public void wrapUpDone(UUID agentId, UUID callId, String reason) {
        serial.execute(() -> withFacts(agentId, f -> {
            if (callId.equals(f.wrapUpCall)) {
                f.wrapUpCall = null;
            }
            return reason;
        }));
    }

    @Override
    public void onConnected(AsteriskInfo info) {
        serial.execute(() -> {
            try {
                // Subscribed to the agents' phones by AgentProvisioner, the first listener, before this runs.
                Map<String, Boolean> online = new java.util.HashMap<>();
                for (EndpointSnapshot endpoint : asterisk.endpoints("PJSIP")) {
                    online.put(endpoint.resource(), endpoint.online());
                }
                for (Agent agent : agents.findAll()) {
                    Facts f = factsOf(agent.id()).orElse(null);
                    if (f != null) {
                        f.registered = online.getOrDefault(agent.extension(), false);
                        settle(f, "resynchronised with Asterisk");
                    }
                }
            } catch (RuntimeException e) {
                log.warn("Could not read agents' registrations after connecting: {}", e.getMessage());
            }
        });
    }

    @Override
    public void onEvent(AsteriskEvent event) {
        if (event instanceof AsteriskEvent.EndpointStateChanged changed && "PJSIP".equals(changed.technology())) {
            serial.execute(() -> {
                try {
                    agentWithExtension(changed.resource()).ifPresent(agent -> withFacts(agent.id(), f -> {
                        f.registered = changed.online();
                        return changed.online() ? "phone reachable" : "phone gone";
                    }));
                } catch (RuntimeException e) {
                    // The database away: the phone's reachability is read again with the next change or reconnect.
                    log.warn("Phone {} {}: not applied ({})", changed.resource(), changed.online() ? "reachable" : "gone",
                            e.getMessage());
                }
            });
        }
    }

    /**
     * With the database away, an agent already known here (every agent is, from the first connection to Asterisk)
     * is still found by their phone, so a phone coming online during an outage makes its agent available.
     */
    private Optional<Agent> agentWithExtension(String extension) {
        UUID phoneOf = agentOfPhone.get(extension);
        Facts knownFacts = phoneOf == null ? null : facts.get(phoneOf);
        if (knownFacts != null) {
            return Optional.of(knownFacts.agent);
        }
        Instant now = clock.instant();
        Instant notBefore = notAnAgentUntil.get(extension);
        if (notBefore != null && now.isBefore(notBefore)) {
            return Optional.empty();
        }
        try {
            Optional<Agent> found = agents.findByExtension(extension);
            if (found.isEmpty()) {
                notAnAgentUntil.put(extension, now.plus(NOT_AN_AGENT_FOR));
            }
            return found;
        } catch (RuntimeException e) {
            Optional<Agent> known = facts.values().stream().map(f -> f.agent)
                    .filter(agent -> agent.extension().equals(extension)).findFirst();
            if (known.isEmpty() || !io.callcenter.ops.DatabaseOutage.isOutage(e)) {
                throw e;
            }
            return known;
        }
    }

    @Override
    public void onDisconnected() {
        // Registrations are read again on reconnect; until then the last known state stands.
    }

    // ------------------------------------------------------------------ on the presence executor

    private interface Change {
        String apply(Facts facts);
    }

    private void withFacts(UUID agentId, Change change) {
        try {
            Facts f = factsOf(agentId).orElse(null);
            if (f == null) {
                log.warn("State change for unknown agent {}", agentId);
                return;
            }
            settle(f, change.apply(f));
        } catch (RuntimeException e) {
            log.error("Agent state change failed for {}", agentId, e);
        }
    }

    private Optional<Facts> factsOf(UUID agentId) {
        Facts existing = facts.get(agentId);
        if (existing != null) {
            return Optional.of(existing);
        }
        return agents.findById(agentId).map(agent -> {
            Facts created = new Facts(agent);
            agentOfPhone.put(agent.extension(), agentId);
            notAnAgentUntil.remove(agent.extension());
            created.chosen = agents.chosenState(agentId).map(State::valueOf).orElse(State.AVAILABLE);
            facts.put(agentId, created);
            return created;
        });
    }

    private void settle(Facts f, String reason) {
        if (f.chosen == State.BREAK || f.wrapUpCall != null) {
            resting.add(f.agent.id());
        } else {
            resting.remove(f.agent.id());
        }
        State next = f.derived();
        UUID callId = next == State.ON_CALL ? f.activeCall : next == State.WRAP_UP ? f.wrapUpCall : null;
        if (f.current != null && f.current.state() == next && java.util.Objects.equals(f.current.callId(), callId)) {
            return;
        }
        Instant now = clock.instant();
        StateChanged changed = new StateChanged(f.agent.id(), f.agent.extension(), next, now, callId, reason);
        log.info("agent {}: {} -> {} ({})", f.agent.extension(), f.current == null ? "-" : f.current.state(), next, reason);
        f.current = changed;
        published.put(f.agent.id(), changed);
        try {
            agents.logState(f.agent.id(), next.name(), now, callId, reason);
        } catch (RuntimeException e) {
            // The state holds in memory and is pushed to the agent's screen; only its history misses this row.
            log.warn("agent {}: state {} not logged: {}", f.agent.extension(), next, e.getMessage());
        }
        try {
            publisher.accept(changed);
        } catch (RuntimeException e) {
            log.warn("Publishing the state of agent {} failed: {}", f.agent.extension(), e.getMessage());
        }
    }

    /** For routing: whether the agent's choice and wrap-up allow offering a call (reachability is checked apart). */
    boolean takesCalls(UUID agentId) {
        // Until the agent's state is known (settled once after connecting), their break chosen before a restart is
        // not yet in resting: a callback restored at start-up was placed to an agent on break.
        return published.containsKey(agentId) && !resting.contains(agentId);
    }
}
