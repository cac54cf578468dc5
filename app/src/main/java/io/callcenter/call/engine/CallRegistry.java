package io.callcenter.call.engine;

import io.callcenter.call.CallState;
import io.callcenter.call.CallUpdated;
import io.callcenter.call.Direction;
import io.callcenter.call.guard.OutboundGuard;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.Leg;
import io.callcenter.call.reconcile.Reconciliation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The live calls and which call each channel belongs to, and what follows every step of a call: the save, the
 * announcement of what agents' screens show, and the notices that had to wait for the save.
 */
final class CallRegistry implements Reconciliation.LiveCalls {

    private static final Logger log = LoggerFactory.getLogger(CallRegistry.class);

    /** Shared with {@link GatewayCommands}, which claims a channel before creating it. */
    final Map<String, UUID> callByChannel = new ConcurrentHashMap<>();
    private final Map<UUID, Call> calls = new ConcurrentHashMap<>();
    /** What to tell other modules once a call's step is saved (committed), per call (run on the call's lane). */
    /** What agents' screens were last told of each live call, so each change is announced once. */
    private final Map<UUID, String> lastShown = new ConcurrentHashMap<>();
    private CallSaves saves;
    /** What the API shows of the calls in memory, and of ended ones until their end is written. */
    final LiveViews views;
    /** Another instance holds the floor: calls not live here are run there. */
    private volatile boolean standingBy;
    private final Consumer<CallUpdated> updates;
    private final OutboundGuard guard;

    CallRegistry(Consumer<CallUpdated> updates, OutboundGuard guard, LiveViews views) {
        this.updates = updates;
        this.guard = guard;
        this.views = views;
    }

    /** Set once by the engine: the saves retry on the lanes, which exist after the registry. */
    void saveWith(CallSaves saves) {
        this.saves = saves;
    }

    void register(Call call) {
        calls.put(call.id, call);
    }

    Call call(UUID callId) {
        return calls.get(callId);
    }

    boolean isLive(UUID callId) {
        return calls.containsKey(callId);
    }

    /** A new call's id must be no live call's and no channel's. */
    boolean isTaken(UUID callId) {
        return calls.containsKey(callId) || callByChannel.containsValue(callId);
    }

    UUID callOf(String channelId) {
        return callByChannel.get(channelId);
    }

    void claim(String channelId, UUID callId) {
        callByChannel.put(channelId, callId);
    }

    void forget(String channelId) {
        callByChannel.remove(channelId);
    }

    boolean isClaimed(String channelId) {
        return callByChannel.containsKey(channelId);
    }

    Set<UUID> liveIds() {
        return Set.copyOf(calls.keySet());
    }

    Set<String> claimedChannels() {
        return Set.copyOf(callByChannel.keySet());
    }

    boolean standingBy() {
        return standingBy;
    }

    void standBy(boolean standingBy) {
        this.standingBy = standingBy;
    }

    /**
     * On the call's lane, after any step in flight: the call leaves memory without a command or a save (another
     * instance adopted it and writes its end); its timers then find no call and do nothing.
     */
    void drop(UUID callId) {
        Call call = calls.remove(callId);
        callByChannel.values().removeIf(callId::equals);
        lastShown.remove(callId);
        views.forget(callId);
        saves.forget(callId);
        if (call != null) {
            log.info("call {}: forgotten, another app instance runs it now", callId);
        }
    }

    int size() {
        return calls.size();
    }

    /** After every step: ended legs leave the channel index, the call is saved and announced, an ended call goes. */
    void afterStep(Call call) {
        call.legs.values().stream().filter(leg -> !leg.live()).forEach(leg -> callByChannel.remove(leg.channelId, call.id));
        if (call.state() == CallState.ENDED && calls.remove(call.id) != null) {
            countOutboundMinutes(call);
        }
        // Before the announcement: a screen told of this step and fetching the call reads this step or a later one.
        views.stepped(call);
        // The save goes to the call's writer; an ended call's view is dropped once its end is committed.
        saves.save(call, call.state() == CallState.ENDED ? List.of(views.ended(call)) : List.of());
        // Announce every change an agent's screen shows: the call's state, its parties, recording and transfer.
        String shown = call.shownState();
        String before = call.state() == CallState.ENDED ? lastShown.remove(call.id) : lastShown.put(call.id, shown);
        if (!shown.equals(before)) {
            try {
                updates.accept(CallUpdates.of(call));
            } catch (RuntimeException e) {
                log.warn("call {}: publishing the update failed: {}", call.id, e.getMessage());
            }
        }
    }

    /** Once, when an outbound call ends: its talk time counts against the team's hourly outbound minutes. */
    private void countOutboundMinutes(Call call) {
        if (call.direction == Direction.OUTBOUND && call.teamId != null && call.answeredAt != null
                && call.endedAt != null) {
            guard.outboundEnded(call.teamId, call.endedAt, Duration.between(call.answeredAt, call.endedAt));
        }
    }

    @Override
    public Optional<Call> live(UUID callId) {
        return Optional.ofNullable(calls.get(callId));
    }

    @Override
    public void adopt(Call call, List<Leg> liveLegs) {
        views.adopted(call);
        calls.put(call.id, call);
        liveLegs.forEach(leg -> callByChannel.put(leg.channelId, call.id));
    }
}
