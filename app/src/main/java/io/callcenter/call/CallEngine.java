package io.callcenter.call;

import io.callcenter.agent.Agent;
import io.callcenter.agent.AgentDirectory;
import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.AsteriskEvent.ChannelDestroyed;
import io.callcenter.asterisk.AsteriskEvent.ChannelStateChanged;
import io.callcenter.asterisk.AsteriskEvent.DialResult;
import io.callcenter.asterisk.AsteriskEvent.DtmfReceived;
import io.callcenter.asterisk.AsteriskEvent.PlaybackFinished;
import io.callcenter.asterisk.AsteriskEvent.StasisEnd;
import io.callcenter.asterisk.AsteriskEvent.StasisStart;
import io.callcenter.asterisk.AsteriskEventListener;
import io.callcenter.asterisk.AsteriskException;
import io.callcenter.asterisk.AsteriskGateway;
import io.callcenter.asterisk.AsteriskGateway.HangupReason;
import io.callcenter.asterisk.AsteriskInfo;
import io.callcenter.asterisk.ChannelSnapshot;
import io.callcenter.asterisk.ChannelState;
import io.callcenter.routing.PhoneNumbers;
import io.callcenter.routing.RoutingService;
import io.callcenter.routing.Team;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Drives every call through the Stasis application.
 *
 * <p>Events arrive in Asterisk's order on the event stream thread; {@link #onEvent} only finds the call a channel
 * belongs to and queues the event on that call's lane, where it is handled in order with the call's other events.
 * Handling may block (ARI REST, database): lanes run on virtual threads.
 *
 * <p>Flows: an agent dials (internal extension or any number out through the trunk); the carrier sends a call to
 * a DID (hunt through the team's available agents, longest idle first; nobody: a message, never silence).
 */
final class CallEngine implements AsteriskEventListener {

    private static final Logger log = LoggerFactory.getLogger(CallEngine.class);

    static final String INBOUND = "inbound";
    static final String AGENT_DIAL = "dial";
    static final String LEG = "leg";
    static final String DIALER = "dialer";
    private static final Duration ORPHAN_GRACE = Duration.ofSeconds(5);
    /** Asterisk's own talk-time cutoff comes this long after ours, which normally ends the call first. */
    static final Duration LIMIT_BACKSTOP = Duration.ofSeconds(10);
    static final String AUTO_ANSWER_HEADER = "X-CallCenter-Auto-Answer";
    static final int MAX_PARTIES = 3;

    private final AsteriskGateway asterisk;
    private final AgentDirectory agents;
    private final RoutingService routing;
    private final CallStore store;
    private final CallProperties properties;
    private final String application;
    private final Clock clock;
    private final Lanes<UUID> lanes;
    private final Map<String, UUID> callByChannel = new ConcurrentHashMap<>();
    private final Map<UUID, Call> calls = new ConcurrentHashMap<>();
    private final CallTimer timer;
    private final OutboundGuard guard;
    private final java.util.function.Consumer<CallUpdated> updates;
    private final DialledLeads dialer;
    private final CallRecorder recorder;
    private final Transfers transfers;
    private Executor orphanCheck;

    CallEngine(AsteriskGateway asterisk, AgentDirectory agents, RoutingService routing, CallStore store,
               CallProperties properties, String application, Clock clock, Executor executor, CallTimer timer,
               OutboundGuard guard, java.util.function.Consumer<CallUpdated> updates,
               DialledLeads dialer) {
        this.dialer = dialer;
        this.recorder = new CallRecorder(asterisk, store, routing, properties.recordingsDirectory(), clock);
        this.transfers = new Transfers(asterisk, agents, properties, clock, new EngineParties());
        this.timer = timer;
        this.guard = guard;
        this.updates = updates;
        this.asterisk = asterisk;
        this.agents = agents;
        this.routing = routing;
        this.store = store;
        this.properties = properties;
        this.application = application;
        this.clock = clock;
        this.lanes = new Lanes<>(executor);
        this.orphanCheck = CompletableFuture.delayedExecutor(ORPHAN_GRACE.toMillis(), TimeUnit.MILLISECONDS, executor);
    }

    /** Unit tests run the orphan check in place instead of after the grace period. */
    void checkOrphansWith(Executor executor) {
        this.orphanCheck = executor;
    }

    // ---------------------------------------------------------------- event stream thread: route only

    @Override
    public void onEvent(AsteriskEvent event) {
        if (event instanceof AsteriskEvent.RecordingEnded ended) {
            Recordings.callIdOf(ended.name()).ifPresent(callId -> lanes.execute(callId, () -> recordingEnded(callId, ended)));
            return;
        }
        if (event instanceof PlaybackFinished finished && finished.targetBridgeId().isPresent()) {
            // Bridge playbacks (announcements, hold, warnings) belong to the call whose bridge it is.
            Optional<UUID> callId = callIdOfBridge(finished.targetBridgeId().get());
            callId.ifPresent(id -> lanes.execute(id, () -> handle(id, event)));
            return;
        }
        String channelId = event.channelId().orElse(null);
        if (channelId == null) {
            return;
        }
        UUID callId = callByChannel.get(channelId);
        if (callId != null) {
            lanes.execute(callId, () -> handle(callId, event));
            return;
        }
        if (event instanceof StasisStart start && !start.args().isEmpty() && !LEG.equals(start.args().getFirst())) {
            UUID newCallId = callIdFor(start);
            callByChannel.put(channelId, newCallId);
            lanes.execute(newCallId, () -> begin(newCallId, start));
        } else if (!(event instanceof ChannelDestroyed) && !(event instanceof StasisEnd)
                && !(event instanceof AsteriskEvent.HangupRequested)) {
            log.debug("Event for a channel of no call ignored: {}", event);
        }
    }

    /**
     * A lead the dialer reached gets the attempt's id as call id: the dialer reserved the agent under that id, so the
     * call holds and frees the very same reservation, and the call record and the attempt share one id.
     */
    private UUID callIdFor(StasisStart start) {
        if (DIALER.equals(start.args().getFirst()) && start.args().size() > 1) {
            try {
                UUID attemptId = UUID.fromString(start.args().get(1));
                if (!calls.containsKey(attemptId) && !callByChannel.containsValue(attemptId)) {
                    return attemptId;
                }
            } catch (IllegalArgumentException e) {
                log.warn("Dialer call with a malformed attempt id {}", start.args().get(1));
            }
        }
        return UUID.randomUUID();
    }

    @Override
    public void onConnected(AsteriskInfo info) {
        // Runs before the stream delivers any new event: queue a reconciliation on every call's lane first, so
        // each call sees "what survived" before anything that happens next.
        Set<String> live = new HashSet<>();
        List<ChannelSnapshot> channels = asterisk.channels();
        channels.forEach(channel -> live.add(channel.id()));
        Set<UUID> ids = new HashSet<>(calls.keySet());
        ids.addAll(store.openCallIds());
        for (UUID id : ids) {
            lanes.execute(id, () -> reconcile(id, live, info));
        }
        Set<String> known = new HashSet<>(store.openLegChannelIds());
        known.addAll(callByChannel.keySet());
        for (ChannelSnapshot channel : channels) {
            if (channel.inStasisApp(application) && !known.contains(channel.id())) {
                // In our application but in no call we know. It may be a call that arrived a moment ago whose
                // StasisStart is still queued behind this method, so look again after a grace period; still
                // unclaimed then, it was left over from before and nothing can be done for it but to end it.
                orphanCheck.execute(() -> {
                    if (!callByChannel.containsKey(channel.id())) {
                        log.warn("Hanging up channel {} left in the application by no known call", channel.id());
                        hangupQuietly(channel.id(), HangupReason.NORMAL);
                    }
                });
            }
        }
        if (!ids.isEmpty()) {
            log.info("Reconnected to Asterisk: reconciling {} call(s) with {} live channel(s)", ids.size(), live.size());
        }
    }

    @Override
    public void onDisconnected() {
        log.warn("Lost the ARI event stream with {} live call(s); they will be reconciled on reconnect", calls.size());
    }

    // ---------------------------------------------------------------- lanes: one call at a time

    private void begin(UUID callId, StasisStart start) {
        ChannelSnapshot channel = start.channel();
        Call call = null;
        try {
            call = switch (start.args().getFirst()) {
                case INBOUND -> beginInbound(callId, start);
                case AGENT_DIAL -> beginFromAgent(callId, start);
                case DIALER -> beginDialledLead(callId, start);
                default -> null;
            };
            if (call == null) {
                log.warn("Channel {} entered the application with unknown arguments {}", channel.id(), start.args());
                callByChannel.remove(channel.id());
                hangupQuietly(channel.id(), HangupReason.NORMAL);
            } else {
                settle(call, start.at());
            }
        } catch (RuntimeException e) {
            // The call may already exist even though its begin* method did not return it.
            Call started = call != null ? call : calls.get(callId);
            if (started == null) {
                log.error("Could not start a call for channel {}", channel.id(), e);
                callByChannel.remove(channel.id());
                hangupQuietly(channel.id(), HangupReason.CONGESTION);
                return;
            }
            call = started;
            recover(call, e);
        } finally {
            if (call != null) {
                persist(call);
            }
        }
    }

    private Call beginInbound(UUID callId, StasisStart start) {
        ChannelSnapshot channel = start.channel();
        String from = PhoneNumbers.toE164(channel.callerNumber(), properties.defaultRegion())
                .orElse(channel.callerNumber().isBlank() ? "anonymous" : channel.callerNumber());
        String to = PhoneNumbers.toE164(channel.dialplanExten(), properties.defaultRegion()).orElse(channel.dialplanExten());
        Call call = register(Call.start(callId, Direction.INBOUND, from, to, start.at(), "inbound call"));
        call.addLeg(new Leg(channel.id(), Leg.Role.CALLER, endpointOf(channel), from, null, start.at()));

        Optional<Team> team = routing.teamForNumber(to);
        if (team.isEmpty()) {
            announce(call, properties.unknownNumberSound(), HangupReason.UNALLOCATED, "unallocated_number", start.at());
            return call;
        }
        call.applyTeam(team.get());
        call.huntList = new ArrayList<>(agents.availableInTeam(team.get().id()).stream().map(Agent::id).toList());
        // 180 towards the carrier: the caller hears ringback while agents' phones ring.
        asterisk.ring(channel.id());
        call.callerRingbackSent = true;
        ringNextAgent(call, start.at());
        return call;
    }

    private Call beginFromAgent(UUID callId, StasisStart start) {
        ChannelSnapshot channel = start.channel();
        String dialled = channel.dialplanExten();
        Agent caller = agents.byExtension(channel.endpointResource())
                .orElseThrow(() -> new IllegalStateException("channel " + channel.name() + " is not an agent's"));
        Optional<Agent> colleague = agents.byExtension(dialled);
        if (colleague.isPresent()) {
            Call call = register(Call.start(callId, Direction.INTERNAL, caller.extension(), dialled, start.at(), "agent dialled extension"));
            call.agentId = caller.id();
            call.teamId = caller.teamId();
            routing.team(caller.teamId()).ifPresent(call::applyTeam);
            call.addLeg(new Leg(channel.id(), Leg.Role.CALLER, endpointOf(channel), caller.extension(), caller.id(), start.at()));
            agents.tryReserve(caller.id(), call.id);
            call.reservedAgents.add(caller.id());
            Agent callee = colleague.get();
            if (callee.id().equals(caller.id()) || !agents.tryReserve(callee.id(), call.id)) {
                failCall(call, "busy", HangupReason.BUSY, start.at());
                return call;
            }
            call.reservedAgents.add(callee.id());
            if (!agents.reachableAndIdle(callee)) {
                failCall(call, agents.isReachable(callee) ? "busy" : "unavailable",
                        agents.isReachable(callee) ? HangupReason.BUSY : HangupReason.CONGESTION, start.at());
                return call;
            }
            dialLeg(call, callee.sipEndpoint(), callee.extension(), callee.id(),
                    callerId(caller.extension(), caller.displayName()), properties.outboundRingTimeout(), start.at(),
                    "ringing extension " + callee.extension());
            return call;
        }

        Team team = routing.team(caller.teamId())
                .orElseThrow(() -> new IllegalStateException("agent " + caller.extension() + " has no team"));
        Optional<String> number = PhoneNumbers.toE164(dialled, properties.defaultRegion());
        Call call = register(Call.start(callId, Direction.OUTBOUND, team.callerIdNumber(),
                number.orElse(dialled), start.at(), "agent dialled number"));
        call.agentId = caller.id();
        call.applyTeam(team);
        call.addLeg(new Leg(channel.id(), Leg.Role.CALLER, endpointOf(channel), caller.extension(), caller.id(), start.at()));
        agents.tryReserve(caller.id(), call.id);
        call.reservedAgents.add(caller.id());
        if (number.isEmpty()) {
            announce(call, properties.unknownNumberSound(), HangupReason.UNALLOCATED, "invalid_number", start.at());
            return call;
        }
        Optional<OutboundGuard.Refusal> refusal = guard.check(caller, team, number.get());
        if (refusal.isPresent()) {
            // A desk phone cannot show our reason: the agent hears a refusal, the call record keeps the reason.
            call.note(start.at(), "refused by the outbound guard", refusal.get().detail());
            announce(call, properties.unknownNumberSound(), HangupReason.CONGESTION, refusal.get().cause(), start.at());
            return call;
        }
        dialLeg(call, "PJSIP/" + number.get() + "@" + properties.trunkEndpoint(), number.get(), null,
                callerId(team.callerIdNumber(), team.name()), properties.outboundRingTimeout(), start.at(),
                "dialling out through " + properties.trunkEndpoint());
        return call;
    }

    /**
     * A person the auto-dialer reached, transferred to us by the carrier: the agent reserved for the attempt is rung
     * with auto-answer (the softphone picks up at once) and bridged with the person. No agent (the attempt was given
     * up meanwhile) or an agent phone that fails: the person hears the safe-harbor message and the attempt counts
     * as abandoned.
     */
    private Call beginDialledLead(UUID callId, StasisStart start) {
        ChannelSnapshot channel = start.channel();
        Optional<DialledLeads.Handover> assignment = Optional.empty();
        if (start.args().size() > 1 && callId.toString().equals(start.args().get(1))) {
            assignment = dialer.claim(callId);
        }
        String leadNumber = assignment.map(DialledLeads.Handover::leadNumber)
                .orElse(channel.callerNumber());
        Optional<Team> team = assignment.flatMap(a -> routing.team(a.teamId()));
        Call call = register(Call.start(callId, Direction.OUTBOUND, team.map(Team::callerIdNumber).orElse(""),
                leadNumber, start.at(), "dialled lead transferred to us"));
        call.addLeg(new Leg(channel.id(), Leg.Role.CALLER, endpointOf(channel), leadNumber, null, start.at()));
        Optional<Agent> agent = assignment.flatMap(a -> agents.byId(a.agentId()));
        if (assignment.isEmpty() || team.isEmpty() || agent.isEmpty()) {
            announce(call, properties.safeHarborSound(), HangupReason.NORMAL, "abandoned", start.at());
            return call;
        }
        call.applyTeam(team.get());
        call.dialerAttemptId = callId;
        call.leadId = assignment.get().leadId() == null ? null : assignment.get().leadId().toString();
        call.agentId = agent.get().id();
        call.reservedAgents.add(agent.get().id());
        // The person has been talking to the carrier's AMD already: answer at once so they hear us, not silence.
        asterisk.answer(channel.id());
        call.caller().answeredAt = start.at();
        // The agent's screen shows whom they are about to talk to: the lead's name from the list, else the number.
        String leadName = assignment.get().leadName();
        Map<String, String> variables = callerId(leadNumber, leadName == null || leadName.isBlank() ? leadNumber : leadName);
        autoAnswer(variables, call.id);
        dialLeg(call, agent.get().sipEndpoint(), agent.get().extension(), agent.get().id(), variables,
                properties.agentRingTimeout(), start.at(), "connecting agent " + agent.get().extension());
        return call;
    }

    private void handle(UUID callId, AsteriskEvent event) {
        Call call = calls.get(callId);
        if (call == null) {
            return;
        }
        try {
            switch (event) {
                case StasisStart start -> legEnteredApp(call, start.channel().id());
                case ChannelStateChanged changed -> {
                    if (changed.channel().state() == ChannelState.UP) {
                        legAnswered(call, changed.channel().id(), changed.at());
                    }
                }
                case DialResult dial -> dialProgress(call, dial);
                case ChannelDestroyed destroyed -> legGone(call, destroyed.id(), destroyed.at(), destroyed.cause(),
                        destroyed.causeText());
                case PlaybackFinished finished -> playbackFinished(call, finished);
                case AsteriskEvent.HangupRequested requested -> call.leg(requested.id())
                        .ifPresent(leg -> leg.requestedCause = requested.cause());
                case StasisEnd end -> call.leg(end.id()).ifPresent(leg -> {
                    // A plain BYE arrives as a hangup request without a cause: that is normal clearing.
                    int cause = leg.requestedCause == null || leg.requestedCause == 0 ? 16 : leg.requestedCause;
                    legGone(call, end.id(), end.at(), cause, Q850.text(cause));
                });
                case DtmfReceived dtmf -> log.debug("call {}: DTMF {} on {}", call.id, dtmf.digit(), dtmf.id());
                case AsteriskEvent.EndpointStateChanged ignored -> {
                    // Not about a channel; never routed to a call.
                }
                case AsteriskEvent.RecordingEnded ignored -> {
                    // Routed by recording name in onEvent, handled by recordingEnded.
                }
            }
            settle(call, event.at());
        } catch (RuntimeException e) {
            recover(call, e);
        } finally {
            persist(call);
        }
    }

    /**
     * A channel that vanished under a command (404) is a normal race, e.g. the caller hung up while we answered:
     * its StasisEnd is on its way and will move the call on. Anything else is a bug: end the call cleanly.
     */
    private void recover(Call call, RuntimeException error) {
        if (error instanceof AsteriskException asteriskError && asteriskError.isNotFound()) {
            log.info("call {}: a channel or bridge went away during a command: {}", call.id, error.getMessage());
            settle(call, clock.instant());
            return;
        }
        failSafe(call, error);
    }

    private void ringNextAgent(Call call, Instant at) {
        while (!call.huntList.isEmpty()) {
            UUID agentId = call.huntList.removeFirst();
            Optional<Agent> agent = agents.byId(agentId);
            if (agent.isEmpty() || !agents.tryReserve(agentId, call.id)) {
                continue;
            }
            if (!agents.reachableAndIdle(agent.get())) {
                agents.release(agentId, call.id);
                continue;
            }
            call.reservedAgents.add(agentId);
            dialLeg(call, agent.get().sipEndpoint(), agent.get().extension(), agentId,
                    callerId(call.fromNumber, call.fromNumber), properties.agentRingTimeout(), at,
                    "ringing agent " + agent.get().extension());
            return;
        }
        announce(call, properties.noAgentSound(), HangupReason.NORMAL, "no_agent_available", at);
    }

    private void dialLeg(Call call, String endpoint, String number, UUID agentId, Map<String, String> variables,
                         Duration ringTimeout, Instant at, String event) {
        ensureBridge(call);
        call.moveTo(CallState.RINGING, at, event, endpoint);
        createLeg(call, Leg.Role.CALLEE, endpoint, number, agentId, variables, ringTimeout, at);
    }

    /** A new outgoing leg, dialled once it is in our application; the call's state is the caller's business. */
    private Leg createLeg(Call call, Leg.Role role, String endpoint, String number, UUID agentId,
                          Map<String, String> variables, Duration ringTimeout, Instant at) {
        String channelId = UUID.randomUUID().toString();
        callByChannel.put(channelId, call.id);
        Leg leg = call.addLeg(new Leg(channelId, role, endpoint, number, agentId, at));
        try {
            // Dial only once the channel is in our application (its StasisStart): create can return before that,
            // and a dial in between fails with "Channel not in Stasis application".
            leg.pendingDial = ringTimeout;
            asterisk.createChannel(new AsteriskGateway.ChannelRequest(channelId, endpoint,
                    List.of(LEG, call.id.toString()), variables));
        } catch (AsteriskException e) {
            dialFailed(call, leg, e);
        }
        return leg;
    }

    private void legEnteredApp(Call call, String channelId) {
        Leg leg = call.leg(channelId).orElse(null);
        if (leg == null || leg.pendingDial == null || !leg.live()) {
            return;
        }
        Duration ringTimeout = leg.pendingDial;
        leg.pendingDial = null;
        try {
            asterisk.dial(channelId, null, ringTimeout);
        } catch (AsteriskException e) {
            dialFailed(call, leg, e);
        }
    }

    private void dialFailed(Call call, Leg leg, AsteriskException e) {
        log.warn("call {}: could not dial {}: {}", call.id, leg.endpoint, e.getMessage());
        hangupLeg(leg, HangupReason.NORMAL);
        leg.ended(clock.instant(), 0, "dial failed: " + e.getMessage());
        callByChannel.remove(leg.channelId);
        switch (leg.role) {
            case CALLEE -> calleeFailed(call, leg, clock.instant());
            case PARTICIPANT -> participantFailed(call, leg, clock.instant());
            case TRANSFER_TARGET -> transfers.targetGone(call, leg, clock.instant());
            case CALLER -> {
                // The caller's own leg (a placed call's agent phone): settle ends the call.
            }
        }
    }

    private void legAnswered(Call call, String channelId, Instant at) {
        Leg leg = call.leg(channelId).orElse(null);
        if (leg != null && leg.role == Leg.Role.CALLER && call.placedByApp && leg.answeredAt == null
                && call.state() == CallState.ROUTING) {
            agentAnsweredPlacedCall(call, leg, at);
            return;
        }
        if (leg == null || leg.answeredAt != null || leg.role == Leg.Role.CALLER) {
            return;
        }
        if (leg.role == Leg.Role.PARTICIPANT || leg.role == Leg.Role.TRANSFER_TARGET) {
            midCallLegAnswered(call, leg, at);
            return;
        }
        boolean wanted = call.state() == CallState.RINGING && call.ringingCalleeIs(leg);
        leg.answeredAt = at;
        if (!wanted) {
            // Answered after we gave up on it (caller left, or a later agent was chosen): not wanted any more.
            hangupLeg(leg, HangupReason.ANSWERED_ELSEWHERE);
            return;
        }
        Leg caller = call.caller();
        if (caller.answeredAt == null) {
            asterisk.answer(caller.channelId);
            caller.answeredAt = at;
        }
        if (call.agentRingbackPlaying) {
            call.agentRingbackPlaying = false;
            asterisk.stopRinging(caller.channelId);
        }
        asterisk.addToBridge(call.bridgeId, caller.channelId);
        asterisk.addToBridge(call.bridgeId, leg.channelId);
        caller.joinedAt(at);
        leg.joinedAt(at);
        // The app ends the call at the limit (after a warning); Asterisk's own cutoff a little later holds the
        // limit even while the app is down.
        asterisk.setVariable(caller.channelId, "TIMEOUT(absolute)",
                Long.toString(call.maxCallSeconds + LIMIT_BACKSTOP.toSeconds()));
        call.answeredAt = at;
        scheduleTalkLimit(call, at);
        if (leg.agentId != null && call.direction == Direction.INBOUND) {
            call.agentId = leg.agentId;
        }
        call.moveTo(CallState.TALKING, at, "answered", leg.endpoint);
        if (call.dialerAttemptId != null) {
            dialer.connected(call.dialerAttemptId, call.id, at);
        }
        recorder.start(call, at);
    }

    private void dialProgress(Call call, DialResult dial) {
        Leg leg = call.leg(dial.peerChannelId()).orElse(null);
        if (leg == null) {
            return;
        }
        switch (dial.status()) {
            case "ANSWER" -> legAnswered(call, leg.channelId, dial.at());
            case "RINGING" -> {
                // Relay 180 to the caller, who has heard nothing since dialling (inbound callers already got one).
                // Not for the caller's own leg ringing: a call placed by the app rings the agent's phone first, and a
                // softphone sends 180 an instant before it auto-answers.
                Leg caller = call.caller();
                if (leg != caller && !call.callerRingbackSent && caller.answeredAt == null && caller.live()) {
                    call.callerRingbackSent = true;
                    asterisk.ring(caller.channelId);
                }
            }
            case "BUSY", "NOANSWER", "CONGESTION", "CHANUNAVAIL", "CANCEL" -> {
                leg.dialStatus = dial.status();
                if (leg.role == Leg.Role.CALLER && call.hangupCause == null) {
                    call.hangupCause = "agent_phone_" + outcomeOf(leg);
                }
                hangupLeg(leg, HangupReason.NORMAL);
            }
            default -> log.debug("call {}: dial {} {}", call.id, leg.endpoint, dial.status());
        }
    }

    private void legGone(Call call, String channelId, Instant at, int cause, String causeText) {
        Leg leg = call.leg(channelId).orElse(null);
        if (leg == null) {
            return;
        }
        boolean wasPresent = leg.present();
        leg.ended(at, cause, causeText);
        callByChannel.remove(channelId);
        if (wasPresent) {
            call.lastDeparture = leg;
            if (call.state() == CallState.TALKING && call.hangupCause == null) {
                call.note(at, "party left", leg.endpoint + " (" + leg.leaveReason + ")");
            }
        }
        if (call.state() == CallState.TALKING && leg.role == Leg.Role.PARTICIPANT && leg.answeredAt == null) {
            participantFailed(call, leg, at);
        }
        if (leg.role == Leg.Role.TRANSFER_TARGET && call.transfer != null && call.transfer.inProgress()
                && leg.channelId.equals(call.transfer.targetLegId)) {
            transfers.targetGone(call, leg, at);
        }
        if (call.transfer != null && call.transfer.state() == Transfer.State.CONSULTING
                && leg.channelId.equals(call.transfer.agentLegId)) {
            // The agent hung up while consulting: as on a desk phone, that hands the customer to the target.
            transfers.complete(call, null);
        }
        if (call.state() == CallState.RINGING && leg.role == Leg.Role.CALLEE && call.caller().live()
                && call.ringingCallee().isEmpty()) {
            calleeFailed(call, leg, at);
        }
    }

    /**
     * Derives the transitions that follow from which legs are still up. Runs after every handled event, so a leg
     * that vanished by any route (event, 404 on hangup, reconciliation) moves the call on exactly once.
     */
    private void settle(Call call, Instant at) {
        boolean callerLive = call.legs.values().stream().anyMatch(leg -> leg.role == Leg.Role.CALLER && leg.live());
        switch (call.state()) {
            case ROUTING, RINGING -> {
                if (!callerLive) {
                    if (call.hangupCause == null) {
                        call.hangupCause = "caller_abandoned";
                    }
                    hangupAllLive(call, HangupReason.NORMAL);
                    call.moveTo(CallState.ENDING, at, "caller hung up before answer", null);
                }
            }
            case ANNOUNCING -> {
                if (!callerLive) {
                    call.moveTo(CallState.ENDING, at, "caller left", null);
                }
            }
            case TALKING -> {
                // A conference goes on while two parties remain, whoever left; a transfer in progress keeps the
                // waiting customer's call up even though they are alone in the bridge for a while.
                long present = call.legs.values().stream().filter(Leg::present).count();
                boolean transferring = call.transfer != null && call.transfer.inProgress();
                boolean lastWordsPlaying = call.endAfterPlaybackId != null;
                if (present < 2 && !(present == 1 && (transferring && transfers.customerWaiting(call) || lastWordsPlaying))) {
                    if (call.hangupCause == null) {
                        call.hangupCause = call.lastDeparture != null && call.lastDeparture.role == Leg.Role.CALLER
                                ? "caller_hangup" : "callee_hangup";
                    }
                    hangupAllLive(call, HangupReason.NORMAL);
                    call.moveTo(CallState.ENDING, at, "party hung up", call.hangupCause);
                }
            }
            case ENDING, ENDED -> {
                // Waiting for the last legs, or done.
            }
        }
        finishIfDone(call, at);
    }

    /** The dialled party did not answer: inbound tries the next agent, outbound and internal tell the caller. */
    private void calleeFailed(Call call, Leg leg, Instant at) {
        if (leg.agentId != null) {
            agents.release(leg.agentId, call.id);
            call.reservedAgents.remove(leg.agentId);
        }
        String outcome = outcomeOf(leg);
        if (call.dialerAttemptId != null) {
            // Nobody else was promised to this person: the safe-harbor message, and the attempt is abandoned.
            dialer.abandoned(call.dialerAttemptId, at, "agent phone " + outcome);
            announce(call, properties.safeHarborSound(), HangupReason.NORMAL, "abandoned", at);
            return;
        }
        if (call.direction == Direction.INBOUND) {
            call.note(at, "agent did not answer", leg.endpoint + " " + outcome);
            ringNextAgent(call, at);
            return;
        }
        failCall(call, outcome, switch (outcome) {
            case "busy" -> HangupReason.BUSY;
            case "no_answer" -> HangupReason.NO_ANSWER;
            case "unallocated" -> HangupReason.UNALLOCATED;
            default -> HangupReason.CONGESTION;
        }, at);
    }

    private void failCall(Call call, String outcome, HangupReason reason, Instant at) {
        call.hangupCause = outcome;
        hangupAllLive(call, reason);
        call.moveTo(CallState.ENDING, at, "call failed", outcome);
    }

    static String outcomeOf(Leg leg) {
        if (leg.dialStatus != null) {
            return switch (leg.dialStatus) {
                case "BUSY" -> "busy";
                case "NOANSWER" -> "no_answer";
                case "CHANUNAVAIL" -> "unavailable";
                default -> "failed";
            };
        }
        int cause = leg.hangupCause == null ? 0 : leg.hangupCause;
        return switch (cause) {
            case 17 -> "busy";
            case 18, 19 -> "no_answer";
            case 21 -> "rejected";
            case 1, 3, 28 -> "unallocated";
            case 20 -> "unavailable";
            default -> "failed";
        };
    }

    private void playbackFinished(Call call, PlaybackFinished finished) {
        if (call.state() == CallState.ANNOUNCING && finished.playbackId().equals(call.announcementPlaybackId)) {
            hangupLeg(call.caller(), call.announcementHangup);
            return;
        }
        if (finished.playbackId().equals(call.endAfterPlaybackId)) {
            hangupAllLive(call, HangupReason.NORMAL);
            return;
        }
        call.legs.values().stream()
                .filter(leg -> finished.playbackId().equals(leg.joiningPlaybackId) && leg.live())
                .findFirst()
                .ifPresent(leg -> join(call, leg, finished.at()));
    }

    private void announce(Call call, String media, HangupReason then, String cause, Instant at) {
        call.hangupCause = cause;
        call.announcementHangup = then;
        Leg caller = call.caller();
        hangupCallees(call);
        call.moveTo(CallState.ANNOUNCING, at, "announcement", cause + ": " + media);
        if (caller.answeredAt == null) {
            asterisk.answer(caller.channelId);
            caller.answeredAt = at;
        }
        call.announcementPlaybackId = UUID.randomUUID().toString();
        asterisk.play(caller.channelId, call.announcementPlaybackId, media);
    }

    // ---------------------------------------------------------------- calls placed by the app (dialpad, CRM)

    /** What {@link #place} needs; the agent is already reserved for {@code callId} and the number vetted. */
    record PlaceCall(UUID callId, Agent agent, Team team, String number, Agent colleague, String leadId) {
    }

    /**
     * Places a call for an agent: rings the agent's own phone first with an auto-answer header (the softphone
     * answers at once; a desk phone rings), then dials the far end once the agent is on the line. The agent's leg
     * is the caller, so the rest of the call behaves like one the agent dialled from the phone.
     */
    void place(PlaceCall request) {
        lanes.execute(request.callId(), () -> beginPlaced(request));
    }

    private void beginPlaced(PlaceCall request) {
        Instant at = clock.instant();
        Agent agent = request.agent();
        boolean internal = request.colleague() != null;
        Call call = register(Call.start(request.callId(), internal ? Direction.INTERNAL : Direction.OUTBOUND,
                internal ? agent.extension() : request.team().callerIdNumber(), request.number(), at,
                "placed for agent " + agent.extension()));
        try {
            call.agentId = agent.id();
            call.applyTeam(request.team());
            call.leadId = request.leadId();
            call.placedByApp = true;
            call.placedToAgent = internal ? request.colleague().id() : null;
            call.reservedAgents.add(agent.id());
            String channelId = UUID.randomUUID().toString();
            callByChannel.put(channelId, call.id);
            Leg leg = call.addLeg(new Leg(channelId, Leg.Role.CALLER, agent.sipEndpoint(), agent.extension(), agent.id(), at));
            leg.pendingDial = properties.agentRingTimeout();
            // The agent's phone shows whom they are calling.
            Map<String, String> variables = callerId(request.number(),
                    internal ? request.colleague().displayName() : request.number());
            autoAnswer(variables, call.id);
            call.note(at, "ringing the agent's phone", agent.extension());
            asterisk.createChannel(new AsteriskGateway.ChannelRequest(channelId, agent.sipEndpoint(),
                    List.of(LEG, call.id.toString()), variables));
        } catch (RuntimeException e) {
            if (call.hangupCause == null) {
                call.hangupCause = "agent_phone_failed";
            }
            recover(call, e);
        } finally {
            persist(call);
        }
    }

    private void agentAnsweredPlacedCall(Call call, Leg agentLeg, Instant at) {
        agentLeg.answeredAt = at;
        // In-band ringback: the agent's leg is answered, so no 180 can tell them the far end rings.
        asterisk.ring(agentLeg.channelId);
        call.agentRingbackPlaying = true;
        if (call.placedToAgent == null) {
            Team team = routing.team(call.teamId).orElseThrow(() -> new IllegalStateException("call without team"));
            dialLeg(call, "PJSIP/" + call.toNumber + "@" + properties.trunkEndpoint(), call.toNumber, null,
                    callerId(team.callerIdNumber(), team.name()), properties.outboundRingTimeout(), at,
                    "dialling out through " + properties.trunkEndpoint());
            return;
        }
        Agent colleague = agents.byId(call.placedToAgent).orElseThrow();
        Agent caller = agents.byId(call.agentId).orElseThrow();
        if (!agents.tryReserve(colleague.id(), call.id)) {
            failCall(call, "busy", HangupReason.BUSY, at);
            return;
        }
        call.reservedAgents.add(colleague.id());
        if (!agents.reachableAndIdle(colleague)) {
            boolean reachable = agents.isReachable(colleague);
            failCall(call, reachable ? "busy" : "unavailable", reachable ? HangupReason.BUSY : HangupReason.CONGESTION, at);
            return;
        }
        dialLeg(call, colleague.sipEndpoint(), colleague.extension(), colleague.id(),
                callerId(caller.extension(), caller.displayName()), properties.outboundRingTimeout(), at,
                "ringing extension " + colleague.extension());
    }

    private static Optional<UUID> callIdOfBridge(String bridgeId) {
        if (!bridgeId.startsWith(Call.BRIDGE_PREFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(bridgeId.substring(Call.BRIDGE_PREFIX.length())));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- mid-call: commands from the API

    /** What to ring for a participant or a transfer: an endpoint with the caller ID the far end should see. */
    record Target(String endpoint, String number, UUID agentId, Map<String, String> variables, String description) {
        public Target {
            variables = Map.copyOf(variables);
        }
    }

    /**
     * Runs a command on the call's lane, so it sees and changes the call in order with its events, and waits for
     * the outcome: the API answers with what really happened (or why not) rather than "accepted".
     */
    <T> T command(UUID callId, java.util.function.Function<Call, T> action) {
        java.util.concurrent.CompletableFuture<T> outcome = new java.util.concurrent.CompletableFuture<>();
        lanes.execute(callId, () -> {
            Call call = calls.get(callId);
            if (call == null) {
                outcome.completeExceptionally(new CallCommandRefused("not-live", "Call " + callId + " is not in progress"));
                return;
            }
            try {
                outcome.complete(action.apply(call));
                settle(call, clock.instant());
            } catch (CallCommandRefused refused) {
                outcome.completeExceptionally(refused);
            } catch (RuntimeException e) {
                outcome.completeExceptionally(e);
                recover(call, e);
            } finally {
                persist(call);
            }
        });
        try {
            return outcome.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("call " + callId + " did not take the command in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A command that makes no sense in the call's present state: the API answers 409 with the reason. */
    static final class CallCommandRefused extends RuntimeException {
        final String slug;

        CallCommandRefused(String slug, String message) {
            super(message);
            this.slug = slug;
        }
    }

    static void requireTalking(Call call) {
        if (call.state() != CallState.TALKING) {
            throw new CallCommandRefused("not-talking", "The call is " + call.state() + ", not in conversation");
        }
        if (call.transfer != null && call.transfer.inProgress()) {
            throw new CallCommandRefused("transfer-in-progress", "A transfer is in progress");
        }
    }

    /** The leg of the agent asking, present in the conversation. */
    static Leg agentLegOf(Call call, UUID agentId) {
        return call.legs.values().stream()
                .filter(leg -> agentId.equals(leg.agentId) && leg.present())
                .findFirst()
                .orElseThrow(() -> new CallCommandRefused("not-a-party", "You are not in this call"));
    }

    /** Conference: dials a third party; the others keep talking while it rings. At most three parties. */
    String addParticipant(Call call, UUID requestedBy, Target target) {
        requireTalking(call);
        agentLegOf(call, requestedBy);
        long parties = call.legs.values().stream()
                .filter(leg -> leg.present() || leg.live() && leg.role == Leg.Role.PARTICIPANT).count();
        if (parties >= MAX_PARTIES) {
            throw new CallCommandRefused("conference-full", "A call has at most " + MAX_PARTIES + " parties");
        }
        Instant at = clock.instant();
        call.note(at, "adding participant", target.description());
        Leg leg = createLeg(call, Leg.Role.PARTICIPANT, target.endpoint(), target.number(), target.agentId(),
                new LinkedHashMap<>(target.variables()), properties.outboundRingTimeout(), at);
        if (target.agentId() != null) {
            call.reservedAgents.add(target.agentId());
        }
        return leg.channelId;
    }

    private void participantFailed(Call call, Leg leg, Instant at) {
        if (leg.agentId != null) {
            agents.release(leg.agentId, call.id);
            call.reservedAgents.remove(leg.agentId);
        }
        call.note(at, "participant not reached", leg.endpoint + " " + outcomeOf(leg));
        if (call.state() == CallState.TALKING) {
            // The others are told, and talk on.
            playQuietly(call.bridgeId, properties.partyFailedSound());
        }
    }

    /** A new party answered: they hear the recording announcement first (consent), then join the others. */
    private void midCallLegAnswered(Call call, Leg leg, Instant at) {
        leg.answeredAt = at;
        Transfer transfer = call.transfer;
        if (leg.role == Leg.Role.TRANSFER_TARGET && transfer != null && leg.channelId.equals(transfer.targetLegId)) {
            transfers.targetAnswered(call, transfer, leg, at);
            return;
        }
        if (call.state() != CallState.TALKING) {
            hangupLeg(leg, HangupReason.NORMAL);
            return;
        }
        announceThenJoin(call, leg, at);
    }

    private void announceThenJoin(Call call, Leg leg, Instant at) {
        if (call.recordingName != null && call.recordingAnnouncement != null) {
            leg.joiningPlaybackId = UUID.randomUUID().toString();
            asterisk.play(leg.channelId, leg.joiningPlaybackId, call.recordingAnnouncement);
            call.note(at, "recording announced to joining party", leg.endpoint);
        } else {
            join(call, leg, at);
        }
    }

    private void join(Call call, Leg leg, Instant at) {
        leg.joiningPlaybackId = null;
        if (leg.answeredAt == null) {
            leg.answeredAt = at;
        }
        asterisk.addToBridge(call.bridgeId, leg.channelId);
        leg.joinedAt(at);
        call.note(at, leg.role == Leg.Role.PARTICIPANT ? "participant joined" : "transfer target joined", leg.endpoint);
    }

    // ---------------------------------------------------------------- transfers (Transfers does the work)

    String startTransfer(Call call, UUID requestedBy, Transfer.Mode mode, Target target) {
        return transfers.start(call, requestedBy, mode, target);
    }

    String completeTransfer(Call call, UUID requestedBy) {
        return transfers.complete(call, requestedBy);
    }

    String cancelTransfer(Call call, UUID requestedBy) {
        return transfers.cancel(call, requestedBy);
    }

    /** The engine's side of {@link Transfers.Parties}. */
    private final class EngineParties implements Transfers.Parties {
        @Override
        public Leg dial(Call call, Leg.Role role, Target target, Instant at) {
            return createLeg(call, role, target.endpoint(), target.number(), target.agentId(),
                    new LinkedHashMap<>(target.variables()), properties.outboundRingTimeout(), at);
        }

        @Override
        public void hangup(Leg leg) {
            hangupLeg(leg, HangupReason.NORMAL);
        }

        @Override
        public void hangupAll(Call call) {
            hangupAllLive(call, HangupReason.NORMAL);
        }

        @Override
        public void join(Call call, Leg leg, Instant at) {
            CallEngine.this.join(call, leg, at);
        }

        @Override
        public void announceThenJoin(Call call, Leg leg, Instant at) {
            CallEngine.this.announceThenJoin(call, leg, at);
        }
    }

    private void playQuietly(String bridgeId, String media) {
        try {
            asterisk.playOnBridge(bridgeId, UUID.randomUUID().toString(), media);
        } catch (AsteriskException e) {
            log.debug("play {} on {} failed: {}", media, bridgeId, e.getMessage());
        }
    }

    // ---------------------------------------------------------------- recording (CallRecorder does the work)

    boolean pauseRecording(Call call, UUID requestedBy, boolean paused) {
        if (!call.legs.values().stream().anyMatch(leg -> requestedBy.equals(leg.agentId) && leg.live())) {
            throw new CallCommandRefused("not-a-party", "You are not in this call");
        }
        return recorder.pause(call, paused, "by agent " + requestedBy);
    }

    private void recordingEnded(UUID callId, AsteriskEvent.RecordingEnded ended) {
        Call call = calls.get(callId);
        recorder.ended(call, ended);
        if (call != null) {
            persist(call);
        }
    }

    // ---------------------------------------------------------------- talk-time limit

    /** Warns everyone shortly before the team's talk-time limit, then ends the call at the limit. */
    private void scheduleTalkLimit(Call call, Instant answeredAt) {
        Instant limit = answeredAt.plusSeconds(call.maxCallSeconds);
        Instant warning = limit.minus(properties.limitWarning());
        Instant now = clock.instant();
        UUID id = call.id;
        if (warning.isAfter(now)) {
            timer.schedule(Duration.between(now, warning), () -> lanes.execute(id, () -> warnOfLimit(id)));
        }
        timer.schedule(Duration.between(now, limit).isNegative() ? Duration.ZERO : Duration.between(now, limit),
                () -> lanes.execute(id, () -> enforceLimit(id)));
    }

    private void warnOfLimit(UUID id) {
        Call call = calls.get(id);
        if (call == null || call.state() != CallState.TALKING) {
            return;
        }
        try {
            asterisk.playOnBridge(call.bridgeId, UUID.randomUUID().toString(), properties.limitWarningSound());
            call.note(clock.instant(), "talk-time limit warning", properties.limitWarning().toSeconds() + " s left");
        } catch (RuntimeException e) {
            log.warn("call {}: limit warning failed: {}", id, e.getMessage());
        } finally {
            persist(call);
        }
    }

    private void enforceLimit(UUID id) {
        Call call = calls.get(id);
        if (call == null || call.state() != CallState.TALKING) {
            return;
        }
        try {
            call.hangupCause = "time_limit";
            hangupAllLive(call, HangupReason.NORMAL);
            call.moveTo(CallState.ENDING, clock.instant(), "talk-time limit reached", call.maxCallSeconds + " s");
            settle(call, clock.instant());
        } catch (RuntimeException e) {
            recover(call, e);
        } finally {
            persist(call);
        }
    }

    private void reconcile(UUID id, Set<String> liveChannels, AsteriskInfo info) {
        Call inMemory = calls.get(id);
        boolean restored = inMemory == null;
        Call call = restored ? store.loadOpen(id).orElse(null) : inMemory;
        if (call == null) {
            return;
        }
        Instant now = clock.instant();
        boolean asteriskRestarted = info.startedAt().isAfter(call.createdAt);
        String lostCause = asteriskRestarted ? "asterisk_restarted" : "lost_while_disconnected";
        try {
            for (Leg leg : call.legs.values()) {
                if (leg.live() && !liveChannels.contains(leg.channelId)) {
                    leg.ended(now, 0, lostCause);
                    callByChannel.remove(leg.channelId);
                }
            }
            List<Leg> live = call.liveLegs();
            if (restored) {
                // What the database cannot say: a live answered leg of a talking call is in its bridge.
                live.forEach(leg -> leg.joined = leg.answeredAt != null);
            }
            if (!live.isEmpty()) {
                calls.put(call.id, call);
                live.forEach(leg -> callByChannel.put(leg.channelId, call.id));
                if (call.agentId != null) {
                    agents.tryReserve(call.agentId, call.id);
                    call.reservedAgents.add(call.agentId);
                }
                if (restored) {
                    // A new app instance is not subscribed to channels that entered Stasis before it started.
                    asterisk.subscribe(live.stream().map(leg -> leg.channelId).toList(), List.of(call.bridgeId));
                }
            }
            if (call.state() == CallState.TALKING && live.size() >= 2) {
                call.note(now, restored ? "resumed after app restart" : "resumed after reconnect", live.size() + " legs live");
                if (restored && call.answeredAt != null) {
                    scheduleTalkLimit(call, call.answeredAt);
                }
            } else if (call.state().isLive()) {
                call.hangupCause = live.isEmpty() ? lostCause : "interrupted";
                hangupAllLive(call, HangupReason.NORMAL);
                call.moveTo(CallState.ENDING, now, "reconciled after reconnect", lostCause);
            }
            settle(call, now);
        } catch (RuntimeException e) {
            failSafe(call, e);
        } finally {
            persist(call);
        }
    }

    private void finishIfDone(Call call, Instant at) {
        if (call.state() != CallState.ENDING || !call.liveLegs().isEmpty()) {
            return;
        }
        if (call.bridgeCreated) {
            try {
                asterisk.destroyBridge(call.bridgeId);
            } catch (AsteriskException e) {
                log.debug("call {}: bridge already gone: {}", call.id, e.getMessage());
            }
        }
        transfers.destroyConsultBridge(call);
        call.endedAt = at.isBefore(call.createdAt) ? call.createdAt : at;
        for (UUID agentId : call.reservedAgents) {
            agents.callEnded(agentId, call.id, call.endedAt, call.wrapUp);
        }
        call.reservedAgents.clear();
        call.moveTo(CallState.ENDED, at, "all legs gone", call.hangupCause);
        calls.remove(call.id);
    }

    /** Something unexpected: end the call cleanly rather than leave parties in a half-working call. */
    private void failSafe(Call call, RuntimeException error) {
        log.error("call {} failed in state {}; hanging up", call.id, call.state(), error);
        try {
            if (call.hangupCause == null) {
                call.hangupCause = "internal_error";
            }
            hangupAllLive(call, HangupReason.CONGESTION);
            if (call.state().isLive()) {
                call.moveTo(CallState.ENDING, clock.instant(), "internal error", error.getClass().getSimpleName());
            }
            finishIfDone(call, clock.instant());
        } catch (RuntimeException second) {
            log.error("call {}: fail-safe failed too", call.id, second);
        }
    }

    private void persist(Call call) {
        try {
            store.save(call);
        } catch (RuntimeException e) {
            log.error("call {}: could not be saved", call.id, e);
        }
        // Announce every change an agent's screen shows: the call's state, its parties, recording and transfer.
        String shown = call.shownState();
        if (!shown.equals(call.lastPublished)) {
            call.lastPublished = shown;
            try {
                updates.accept(CallUpdated.of(call));
            } catch (RuntimeException e) {
                log.warn("call {}: publishing the update failed: {}", call.id, e.getMessage());
            }
        }
    }

    private Call register(Call call) {
        calls.put(call.id, call);
        return call;
    }

    private void ensureBridge(Call call) {
        if (!call.bridgeCreated) {
            asterisk.createBridge(call.bridgeId, call.bridgeId);
            call.bridgeCreated = true;
        }
    }

    private void hangupCallees(Call call) {
        call.liveLegs().stream().filter(leg -> leg.role == Leg.Role.CALLEE).forEach(leg -> hangupLeg(leg, HangupReason.NORMAL));
    }

    private void hangupAllLive(Call call, HangupReason reason) {
        call.liveLegs().forEach(leg -> hangupLeg(leg, reason));
    }

    private void hangupLeg(Leg leg, HangupReason reason) {
        if (!leg.live() || leg.hangupRequested) {
            return;
        }
        leg.hangupRequested = true;
        try {
            asterisk.hangup(leg.channelId, reason);
        } catch (AsteriskException e) {
            if (!e.isNotFound()) {
                throw e;
            }
            // Already gone and we missed its end (e.g. while disconnected).
            leg.ended(clock.instant(), 0, "already gone");
            callByChannel.remove(leg.channelId);
        }
    }

    private void hangupQuietly(String channelId, HangupReason reason) {
        try {
            asterisk.hangup(channelId, reason);
        } catch (AsteriskException e) {
            log.debug("hangup of {} failed: {}", channelId, e.getMessage());
        }
    }

    /**
     * Identity shown to the called party. chan_pjsip builds an outgoing INVITE's From (and P-Asserted-Identity)
     * from the channel's connected line, which Dial() would copy from the caller; a channel we create has none,
     * so we set it ourselves ("i": store only, no connected-line update is sent before the call exists).
     */
    /**
     * Asks the agent's phone to answer at once: our own header for the softphone page, and the same request in the
     * form desk phones understand (Call-Info answer-after). Set as channel variables before the dial, so chan_pjsip
     * puts them on the INVITE.
     */
    private static void autoAnswer(Map<String, String> variables, UUID callId) {
        variables.put("PJSIP_HEADER(add," + AUTO_ANSWER_HEADER + ")", callId.toString());
        variables.put("PJSIP_HEADER(add,Call-Info)", "<sip:callcenter>;answer-after=0");
    }

    static Map<String, String> callerId(String number, String name) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("CALLERID(num)", number);
        variables.put("CALLERID(name)", name);
        variables.put("CONNECTEDLINE(num,i)", number);
        variables.put("CONNECTEDLINE(name,i)", name);
        return variables;
    }

    private static String endpointOf(ChannelSnapshot channel) {
        return channel.technology() + "/" + channel.endpointResource();
    }
}
