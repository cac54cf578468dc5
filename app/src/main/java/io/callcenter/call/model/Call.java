package io.callcenter.call.model;

import io.callcenter.call.CallState;
import io.callcenter.call.Direction;
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
 * A call: its legs, its bridge and its state. Mutated only on its own lane, so it needs no locks, and only by the
 * decisions of the flows (an architecture test holds the API, the store and the engine to reading). Every state
 * change goes through {@link #moveTo}, which refuses illegal transitions and records each one for the
 * append-only {@code call_event} log.
 */
public final class Call {

    private static final Logger log = LoggerFactory.getLogger(Call.class);
    public static final String BRIDGE_PREFIX = "call-";

    public final UUID id;
    public final Direction direction;
    public final String bridgeId;
    public final Instant createdAt;
    /** How the call began, which decides what happens when its callee fails or connects. */
    public final Origin origin;
    public final Map<String, Leg> legs = new LinkedHashMap<>();
    private final List<Transition> unsavedTransitions = new ArrayList<>();
    /** Transitions made since the call was started or loaded: the newest {@code n} are the last n unsaved ones. */
    private int transitionsMade;

    private CallState state;
    public String fromNumber;
    public String toNumber;
    public UUID agentId;
    public UUID teamId;
    public Instant answeredAt;
    public Instant endedAt;
    public String hangupCause;
    /** The team records calls and this one's recording failed to start or failed later: screens say so. */
    public boolean recordingFailed;
    public boolean bridgeCreated;
    public boolean callerRingbackSent;
    /** Playback whose end hangs the caller up (ANNOUNCING), and how. */
    public String announcementPlaybackId;
    public io.callcenter.asterisk.AsteriskGateway.HangupReason announcementHangup;
    /** Agents still to try for an inbound call, in order. */
    public List<UUID> huntList = new ArrayList<>();
    /** Agents reserved by this call, released when it ends. */
    public final List<UUID> reservedAgents = new ArrayList<>();
    /** Maximum talk time, applied to the caller's channel with TIMEOUT(absolute) when answered. */
    public long maxCallSeconds = 21_600;
    /** The dialer attempt this call connects (equal to the call's id), if the dialer placed it. */
    public UUID dialerAttemptId;
    /** A dialled lead's key to opt out while the safe-harbor message plays (null: none). */
    public String optOutDigit;
    /** A dialled lead's campaign message for when no agent can take them (null: the default). */
    public String safeHarborSound;
    /** The CRM's lead this call is about, if any. */
    public String leadId;
    /**
     * Placed by the app (dialpad or click-to-dial): the agent's own phone was called first, auto-answered, and only
     * then the far end dialled. The agent hears in-band ringback meanwhile.
     */
    public boolean placedByApp;
    /** For a placed call: the colleague to ring instead of the trunk (internal call), null for a number. */
    public UUID placedToAgent;
    /** A queue callback's call (agent first, then the caller): the queue entry's id, the call that asked for it. */
    public UUID callbackOf;
    public boolean agentRingbackPlaying;
    /** The queue the caller waits in or was served from, and since when (the agent's screen shows both). */
    public String queueName;
    public Instant queuedAt;
    /** The keys the caller pressed in voice menus on the way in, e.g. "Main: 2" (the agent's screen shows them). */
    public final List<String> menuPath = new ArrayList<>();
    /** Several agents' phones ring at once for this caller (a ring-all queue): whichever answers first takes it. */
    public boolean ringAll;
    /** The live recording of the bridge, if any, and whether it is muted (payment pause). */
    public String recordingName;
    public String recordingAnnouncement;
    public boolean recordingMuted;
    public int recordingCount;
    /** The transfer in progress or last done, if any. */
    public Transfer transfer;
    /** Played to the customer while a transfer rings or consults. */
    public String holdPlaybackId;
    /**
     * A prompt playing to the caller alone (a queue's position announcement), stopped before the caller joins anyone:
     * Asterisk moves a channel to another bridge only once its playback is over, so an agent who answers during a
     * 5-second "you are next" would wait that long in silence (measured in QueueIT).
     */
    public String callerPromptPlaybackId;
    /** A playback after which everyone is hung up (a failed transfer's message). */
    public String endAfterPlaybackId;
    /** The last party who left the conversation: says who ended the call. */
    public Leg lastDeparture;
    /** How long the call's agents stay in wrap-up afterwards (their team's setting). */
    public java.time.Duration wrapUp = java.time.Duration.ZERO;

    public record Transition(Instant at, CallState from, CallState to, String event, String detail) {
    }

    public Call(UUID id, Origin origin, Direction direction, CallState state, String fromNumber, String toNumber,
                Instant createdAt) {
        this.id = id;
        this.origin = origin;
        this.direction = direction;
        this.state = state;
        this.fromNumber = fromNumber;
        this.toNumber = toNumber;
        this.createdAt = createdAt;
        this.bridgeId = BRIDGE_PREFIX + id;
    }

    public static Call start(UUID id, Origin origin, Direction direction, String fromNumber, String toNumber, Instant at,
                             String event) {
        Call call = new Call(id, origin, direction, CallState.ROUTING, fromNumber, toNumber, at);
        call.unsavedTransitions.add(new Transition(at, null, CallState.ROUTING, event,
                direction.dbValue() + " " + fromNumber + " -> " + toNumber));
        call.transitionsMade++;
        log.info("call {} {}: -> ROUTING ({}) {} -> {}", id, direction, event, fromNumber, toNumber);
        return call;
    }

    /** The call whose main bridge this is (bridges are named after their call), if it is one. */
    public static Optional<UUID> idOfBridge(String bridgeId) {
        if (!bridgeId.startsWith(BRIDGE_PREFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(bridgeId.substring(BRIDGE_PREFIX.length())));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** "recording", "paused" or null (not recorded, or the recording is over). */
    public String recordingState() {
        // An ending call's recording ends with its bridge; Asterisk's word on that may come after the call is gone.
        if (recordingName == null || !state.isLive()) {
            return null;
        }
        return recordingMuted ? "paused" : "recording";
    }

    /** Everything an agent's screen shows of the call, as one comparable value. */
    public String shownState() {
        StringBuilder shown = new StringBuilder(state.name()).append('|').append(recordingState())
                .append(recordingFailed ? "|unrecorded" : "");
        if (transfer != null) {
            shown.append('|').append(transfer.state());
        }
        legs.values().forEach(leg -> shown.append('|').append(leg.channelId).append(leg.live())
                .append(leg.answeredAt != null).append(leg.joined));
        return shown.toString();
    }

    public void applyTeam(io.callcenter.routing.Team team) {
        teamId = team.id();
        maxCallSeconds = team.maxCallDuration().toSeconds();
        wrapUp = team.wrapUp();
    }

    public CallState state() {
        return state;
    }

    public void moveTo(CallState next, Instant at, String event, String detail) {
        if (!state.canMoveTo(next)) {
            throw new IllegalCallTransition("call " + id + ": " + state + " -> " + next + " on " + event + " is not allowed");
        }
        log.info("call {}: {} -> {} ({}{})", id, state, next, event, detail == null ? "" : ": " + detail);
        unsavedTransitions.add(new Transition(at, state, next, event, detail));
        transitionsMade++;
        state = next;
    }

    /** Records something worth keeping in the call's log that does not change its state. */
    public void note(Instant at, String event, String detail) {
        // "recording failed to start" or "recording failed" (call/recording): the call is not (wholly) recorded. So is
        // a recording that finished while its call still talks: a store Asterisk cannot write ends the recording at
        // once as "finished", with no file (UnrecordedCallBrowserIT); a recording ends with its call, never before.
        recordingFailed |= event.startsWith("recording failed")
                || ("recording finished".equals(event) && state == CallState.TALKING);
        log.info("call {}: {} ({}{})", id, state, event, detail == null ? "" : ": " + detail);
        unsavedTransitions.add(new Transition(at, state, state, event, detail));
        transitionsMade++;
    }

    public Leg addLeg(Leg leg) {
        legs.put(leg.channelId, leg);
        return leg;
    }

    public Optional<Leg> leg(String channelId) {
        return Optional.ofNullable(legs.get(channelId));
    }

    public Leg caller() {
        return legs.values().stream().filter(leg -> leg.role == Leg.Role.CALLER).findFirst()
                .orElseThrow(() -> new IllegalStateException("call " + id + " has no caller leg"));
    }

    public List<Leg> liveLegs() {
        return legs.values().stream().filter(Leg::live).toList();
    }

    public Optional<Leg> ringingCallee() {
        return legs.values().stream().filter(leg -> leg.role == Leg.Role.CALLEE && leg.live() && leg.answeredAt == null)
                .reduce((first, second) -> second);
    }

    public boolean ringingCalleeIs(Leg leg) {
        return ringingCallee().map(ringing -> ringing == leg).orElse(false);
    }

    /** Commands on a conversation (conference, transfer) need two parties talking and no transfer under way. */
    public void requireTalking() {
        if (state != CallState.TALKING) {
            throw new CommandRefused("not-talking", "The call is " + state + ", not in conversation");
        }
        if (transfer != null && transfer.inProgress()) {
            throw new CommandRefused("transfer-in-progress", "A transfer is in progress");
        }
    }

    /** The leg of the agent asking, present in the conversation. */
    public Leg agentLegOf(UUID agentId) {
        return legs.values().stream()
                .filter(leg -> agentId.equals(leg.agentId) && leg.present())
                .findFirst()
                .orElseThrow(() -> new CommandRefused("not-a-party", "You are not in this call"));
    }

    public long presentParties() {
        return legs.values().stream().filter(Leg::present).count();
    }

    /** A transfer's customer side is still there, waiting (blind: ringing the target; attended: on hold). */
    public boolean transferCustomerWaiting() {
        return transfer != null && legs.values().stream()
                .anyMatch(leg -> leg.present() && !leg.channelId.equals(transfer.agentLegId)
                        && !leg.channelId.equals(transfer.targetLegId));
    }

    /** The transitions not yet written, oldest first; they stay until {@link #transitionsSaved} says they are. */
    public List<Transition> unsavedTransitions() {
        return List.copyOf(unsavedTransitions);
    }

    public int transitionsMade() {
        return transitionsMade;
    }

    /** The first {@code count} unsaved transitions are in the database now (their transaction committed). */
    public void transitionsSaved(int count) {
        unsavedTransitions.subList(0, Math.min(count, unsavedTransitions.size())).clear();
    }

    public List<Transition> drainTransitions() {
        List<Transition> drained = List.copyOf(unsavedTransitions);
        unsavedTransitions.clear();
        return drained;
    }
}
