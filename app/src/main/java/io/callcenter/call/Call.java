package io.callcenter.call;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A call: its legs, its bridge and its state. Mutated only on its own lane, so it needs no locks. Every state
 * change goes through {@link #moveTo}, which refuses illegal transitions and records each one for the
 * append-only {@code call_event} log.
 */
final class Call {

    private static final Logger log = LoggerFactory.getLogger(Call.class);
    static final String BRIDGE_PREFIX = "call-";

    final UUID id;
    final Direction direction;
    final String bridgeId;
    final Instant createdAt;
    final Map<String, Leg> legs = new LinkedHashMap<>();
    private final List<Transition> unsavedTransitions = new ArrayList<>();

    private CallState state;
    String fromNumber;
    String toNumber;
    UUID agentId;
    UUID teamId;
    Instant answeredAt;
    Instant endedAt;
    String hangupCause;
    boolean bridgeCreated;
    boolean callerRingbackSent;
    /** Playback whose end hangs the caller up (ANNOUNCING), and how. */
    String announcementPlaybackId;
    io.callcenter.asterisk.AsteriskGateway.HangupReason announcementHangup;
    /** Agents still to try for an inbound call, in order. */
    List<UUID> huntList = new ArrayList<>();
    /** Agents reserved by this call, released when it ends. */
    final List<UUID> reservedAgents = new ArrayList<>();
    /** Maximum talk time, applied to the caller's channel with TIMEOUT(absolute) when answered. */
    long maxCallSeconds = 21_600;
    /** The dialer attempt this call connects (equal to the call's id), if the dialer placed it. */
    UUID dialerAttemptId;
    /** The CRM's lead this call is about, if any. */
    String leadId;
    /**
     * Placed by the app (dialpad or click-to-dial): the agent's own phone was called first, auto-answered, and only
     * then the far end dialled. The agent hears in-band ringback meanwhile.
     */
    boolean placedByApp;
    /** For a placed call: the colleague to ring instead of the trunk (internal call), null for a number. */
    UUID placedToAgent;
    boolean agentRingbackPlaying;
    /** The live recording of the bridge, if any, and whether it is muted (payment pause). */
    String recordingName;
    String recordingAnnouncement;
    boolean recordingMuted;
    int recordingCount;
    /** The transfer in progress or last done, if any. */
    Transfer transfer;
    /** Played to the customer while a transfer rings or consults. */
    String holdPlaybackId;
    /** A playback after which everyone is hung up (a failed transfer's message). */
    String endAfterPlaybackId;
    /** The last party who left the conversation: says who ended the call. */
    Leg lastDeparture;
    /** What was last announced to listeners (softphones), so each change is announced once. */
    String lastPublished;
    /** How long the call's agents stay in wrap-up afterwards (their team's setting). */
    java.time.Duration wrapUp = java.time.Duration.ZERO;

    record Transition(Instant at, CallState from, CallState to, String event, String detail) {
    }

    Call(UUID id, Direction direction, CallState state, String fromNumber, String toNumber, Instant createdAt) {
        this.id = id;
        this.direction = direction;
        this.state = state;
        this.fromNumber = fromNumber;
        this.toNumber = toNumber;
        this.createdAt = createdAt;
        this.bridgeId = BRIDGE_PREFIX + id;
    }

    static Call start(UUID id, Direction direction, String fromNumber, String toNumber, Instant at, String event) {
        Call call = new Call(id, direction, CallState.ROUTING, fromNumber, toNumber, at);
        call.unsavedTransitions.add(new Transition(at, null, CallState.ROUTING, event,
                direction.dbValue() + " " + fromNumber + " -> " + toNumber));
        log.info("call {} {}: -> ROUTING ({}) {} -> {}", id, direction, event, fromNumber, toNumber);
        return call;
    }

    /** "recording", "paused" or null (not recorded, or the recording is over). */
    String recordingState() {
        // An ending call's recording ends with its bridge; Asterisk's word on that may come after the call is gone.
        if (recordingName == null || !state.isLive()) {
            return null;
        }
        return recordingMuted ? "paused" : "recording";
    }

    /** Everything an agent's screen shows of the call, as one comparable value. */
    String shownState() {
        StringBuilder shown = new StringBuilder(state.name()).append('|').append(recordingState());
        if (transfer != null) {
            shown.append('|').append(transfer.state());
        }
        legs.values().forEach(leg -> shown.append('|').append(leg.channelId, 0, 8).append(leg.live())
                .append(leg.answeredAt != null).append(leg.joined));
        return shown.toString();
    }

    void applyTeam(io.callcenter.routing.Team team) {
        teamId = team.id();
        maxCallSeconds = team.maxCallDuration().toSeconds();
        wrapUp = team.wrapUp();
    }

    CallState state() {
        return state;
    }

    void moveTo(CallState next, Instant at, String event, String detail) {
        if (!state.canMoveTo(next)) {
            throw new IllegalCallTransition("call " + id + ": " + state + " -> " + next + " on " + event + " is not allowed");
        }
        log.info("call {}: {} -> {} ({}{})", id, state, next, event, detail == null ? "" : ": " + detail);
        unsavedTransitions.add(new Transition(at, state, next, event, detail));
        state = next;
    }

    /** Records something worth keeping in the call's log that does not change its state. */
    void note(Instant at, String event, String detail) {
        log.info("call {}: {} ({}{})", id, state, event, detail == null ? "" : ": " + detail);
        unsavedTransitions.add(new Transition(at, state, state, event, detail));
    }

    Leg addLeg(Leg leg) {
        legs.put(leg.channelId, leg);
        return leg;
    }

    Optional<Leg> leg(String channelId) {
        return Optional.ofNullable(legs.get(channelId));
    }

    Leg caller() {
        return legs.values().stream().filter(leg -> leg.role == Leg.Role.CALLER).findFirst()
                .orElseThrow(() -> new IllegalStateException("call " + id + " has no caller leg"));
    }

    List<Leg> liveLegs() {
        return legs.values().stream().filter(Leg::live).toList();
    }

    Optional<Leg> ringingCallee() {
        return legs.values().stream().filter(leg -> leg.role == Leg.Role.CALLEE && leg.live() && leg.answeredAt == null)
                .reduce((first, second) -> second);
    }

    boolean ringingCalleeIs(Leg leg) {
        return ringingCallee().map(ringing -> ringing == leg).orElse(false);
    }

    List<Transition> drainTransitions() {
        List<Transition> drained = List.copyOf(unsavedTransitions);
        unsavedTransitions.clear();
        return drained;
    }
}
