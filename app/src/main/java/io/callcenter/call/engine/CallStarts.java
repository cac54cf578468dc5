package io.callcenter.call.engine;

import io.callcenter.asterisk.AsteriskEvent.StasisStart;
import io.callcenter.asterisk.AsteriskGateway.HangupReason;
import io.callcenter.call.CallState;
import io.callcenter.call.lifecycle.CallLifecycle;
import io.callcenter.call.lifecycle.EnteringFlow;
import io.callcenter.call.model.Call;
import io.callcenter.call.parties.Parties;
import io.callcenter.call.placed.PlacedCallFlow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A call's first step, on its lane: a channel entering the application with a flow's argument (the flows by
 * argument are here), or a call the API places. The flow makes the call, the lifecycle settles it, and whatever fails on the way still leaves a call
 * that is settled, saved and announced (or, when no call came to be, a channel that is hung up).
 */
final class CallStarts {

    private static final Logger log = LoggerFactory.getLogger(CallStarts.class);
    /** What a caller hears when the app cannot route (the dialplan plays the same while the app is away). */
    private static final String UNAVAILABLE_SOUND = "sound:ss-noservice";

    private final CallRegistry registry;
    private final Lanes<UUID> lanes;
    private final CallLifecycle lifecycle;
    /** The flows a channel may enter the application with, by the argument it enters with. */
    private final Map<String, EnteringFlow> flows = new LinkedHashMap<>();
    private final Parties parties;
    private final PlacedCallFlow placed;
    private final Clock clock;

    CallStarts(CallRegistry registry, Lanes<UUID> lanes, CallLifecycle lifecycle, Parties parties,
               PlacedCallFlow placed, Clock clock) {
        this.registry = registry;
        this.lanes = lanes;
        this.lifecycle = lifecycle;
        this.parties = parties;
        this.placed = placed;
        this.clock = clock;
    }

    void enterWith(EnteringFlow flow) {
        flows.put(flow.argument(), flow);
    }

    EnteringFlow flow(String argument) {
        return flows.get(argument);
    }

    /**
     * On the event stream thread, for a channel of no call: one entering with a flow's argument is claimed for a new
     * call, whose first step is queued on the call's lane (true); anything else is not a call's start (false).
     */
    boolean enter(StasisStart start) {
        EnteringFlow flow = start.args().isEmpty() ? null : flows.get(start.args().getFirst());
        if (flow == null) {
            return false;
        }
        UUID callId = flow.callIdFor(start, registry::isTaken);
        registry.claim(start.channel().id(), callId);
        lanes.execute(callId, () -> entered(callId, flow, start));
        return true;
    }

    /** A channel entered with {@code flow}'s argument: the flow decides whether and how it becomes a call. */
    private void entered(UUID callId, EnteringFlow flow, StasisStart start) {
        String channelId = start.channel().id();
        first(callId, () -> flow.begin(callId, start, registry::register), start.at(), true, () -> {
            log.warn("Channel {} is not one the {} flow can take", channelId, flow.argument());
            registry.forget(channelId);
            parties.hangupQuietly(channelId, HangupReason.NORMAL);
        }, e -> {
            log.error("Could not start a call for channel {}", channelId, e);
            registry.forget(channelId);
            parties.hangupQuietly(channelId, HangupReason.CONGESTION);
        });
    }

    /** A call the API places for an agent; {@code callbackOf}: the queue entry whose callback it is, or null. */
    void placed(PlacedCallFlow.PlaceCall request, UUID callbackOf) {
        first(request.callId(), () -> placed.begin(request, registry::register, callbackOf), null, false, () -> {
        }, e -> log.error("Could not place call {}", request.callId(), e));
    }

    /**
     * {@code at}: when the call began (null: now, once it exists). {@code announceOutage}: a caller waiting on a
     * call the database is needed to route hears why it cannot be.
     */
    private void first(UUID callId, Supplier<Call> begin, java.time.Instant at, boolean announceOutage,
                       Runnable noCall, java.util.function.Consumer<RuntimeException> failedWithoutCall) {
        Call call = null;
        try {
            call = begin.get();
            if (call == null) {
                noCall.run();
            } else {
                lifecycle.settle(call, at != null ? at : clock.instant());
            }
        } catch (RuntimeException e) {
            // The call may already exist even though its flow did not return it.
            call = call != null ? call : registry.call(callId);
            if (call == null) {
                failedWithoutCall.accept(e);
            } else if (announceOutage && io.callcenter.ops.DatabaseOutage.isOutage(e) && call.state() == CallState.ROUTING) {
                // Routing needs the database: with it away the caller hears why at once instead of a dead line,
                // and the call's record is written when the database returns (CallSaves).
                log.error("call {}: cannot be routed, the database is unavailable ({}); the caller hears a message",
                        callId, e.getMessage());
                parties.announce(call, UNAVAILABLE_SOUND, HangupReason.CONGESTION, "database_unavailable", clock.instant());
            } else {
                lifecycle.recover(call, e);
            }
        } finally {
            if (call != null) {
                registry.afterStep(call);
            }
        }
    }
}
