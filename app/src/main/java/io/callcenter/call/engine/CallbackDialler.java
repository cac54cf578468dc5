package io.callcenter.call.engine;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.callcenter.agent.Agent;
import io.callcenter.agent.AgentDirectory;
import io.callcenter.call.guard.OutboundGuard;
import io.callcenter.call.model.Call;
import io.callcenter.call.placed.PlacedCallFlow;
import io.callcenter.call.queue.QueueEntry;
import io.callcenter.call.queue.QueueSettings;
import io.callcenter.call.queue.Queues;
import io.callcenter.routing.RoutingService;
import io.callcenter.routing.Team;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * Queue callbacks as placed calls: the agent reserved for the callback is rung first (like a dialpad call), and once
 * they pick up the caller's number is vetted by the outbound guard and the calling hours, then dialled. The queue
 * room decides; this only connects it to the placed-call flow.
 */
final class CallbackDialler implements Queues.CallbackCalls, PlacedCallFlow.Callbacks {

    /** The law's calling hours (16 CFR 310.4(c)) in the called person's time; a callback is a call like any other. */
    static final LocalTime CALLING_FROM = LocalTime.of(8, 0);
    static final LocalTime CALLING_UNTIL = LocalTime.of(21, 0);

    private final Queues queues;
    private final AgentDirectory agents;
    private final RoutingService routing;
    private final OutboundGuard guard;
    /** Places a call (see {@link CallEngine#place}) whose {@code callbackOf} is the given entry. */
    private final BiConsumer<PlacedCallFlow.PlaceCall, UUID> place;

    CallbackDialler(Queues queues, AgentDirectory agents, RoutingService routing, OutboundGuard guard,
                    BiConsumer<PlacedCallFlow.PlaceCall, UUID> place) {
        this.queues = queues;
        this.agents = agents;
        this.routing = routing;
        this.guard = guard;
        this.place = place;
    }

    @Override
    public void place(QueueEntry callback, UUID agentId) {
        Agent agent = agents.byId(agentId).orElseThrow(() -> new IllegalStateException("no agent " + agentId));
        QueueSettings queue = queues.queue(callback.queueId()).orElseThrow();
        Team team = routing.team(queue.teamId()).orElseThrow();
        UUID callId = UUID.randomUUID();
        // The dispatcher reserved the agent for the callback's entry; the placed call holds them from here on.
        agents.release(agentId, callback.callId());
        if (!agents.tryReserve(agentId, callId)) {
            throw new IllegalStateException("agent " + agent.extension() + " taken meanwhile");
        }
        place.accept(new PlacedCallFlow.PlaceCall(callId, agent, team, callback.callerNumber(), null, null),
                callback.callId());
    }

    @Override
    public String refusal(QueueEntry callback, Instant at) {
        QueueSettings queue = queues.queue(callback.queueId()).orElse(null);
        Team team = queue == null ? null : routing.team(queue.teamId()).orElse(null);
        if (team == null) {
            return "queue_gone";
        }
        var refused = guard.checkNumber(team, callback.callerNumber());
        if (refused.isPresent()) {
            return refused.get().cause();
        }
        return insideCallingHours(callback.callerNumber(), guard.now()) ? null : "outside_calling_hours";
    }

    /**
     * Open in every zone the number may be in. A number libphonenumber puts in no zone cannot be checked against
     * anyone's night; its owner asked for this very callback minutes ago (consent), so it is called.
     */
    static boolean insideCallingHours(String e164, Instant at) {
        List<ZoneId> zones;
        try {
            zones = PhoneNumberToTimeZonesMapper.getInstance()
                    .getTimeZonesForNumber(PhoneNumberUtil.getInstance().parse(e164, null)).stream()
                    .filter(name -> !name.equals(PhoneNumberToTimeZonesMapper.getUnknownTimeZone()))
                    .map(ZoneId::of).toList();
        } catch (NumberParseException e) {
            return false;
        }
        return zones.stream().allMatch(zone -> {
            LocalTime local = at.atZone(zone).toLocalTime();
            return !local.isBefore(CALLING_FROM) && local.isBefore(CALLING_UNTIL);
        });
    }

    @Override
    public boolean agentAnswered(Call call, Instant at) {
        return queues.callbackAgentAnswered(call, at);
    }

    @Override
    public void callerAnswered(Call call, Instant at) {
        queues.callbackCallerAnswered(call, at);
    }

    @Override
    public void callerNotReached(Call call, String outcome, Instant at) {
        queues.callbackCallerNotReached(call, outcome, at);
    }

    @Override
    public void agentNotReached(Call call, Instant at) {
        queues.callbackAgentNotReached(call, at);
    }
}
