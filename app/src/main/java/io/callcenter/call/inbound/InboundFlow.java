package io.callcenter.call.inbound;

import io.callcenter.agent.Agent;
import io.callcenter.agent.AgentDirectory;
import io.callcenter.asterisk.AsteriskEvent.StasisStart;
import io.callcenter.asterisk.AsteriskGateway.HangupReason;
import io.callcenter.asterisk.ChannelSnapshot;
import io.callcenter.call.Direction;
import io.callcenter.call.admission.Admission;
import io.callcenter.call.command.CallCommand;
import io.callcenter.call.guard.OutboundGuard;
import io.callcenter.call.lifecycle.EnteringFlow;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.CallProperties;
import io.callcenter.call.model.Leg;
import io.callcenter.call.model.Origin;
import io.callcenter.call.menu.Menus;
import io.callcenter.call.parties.Parties;
import io.callcenter.call.queue.QueueSettings;
import io.callcenter.call.queue.Queues;
import io.callcenter.call.voicemail.Voicemails;
import io.callcenter.destination.Destination;
import io.callcenter.destination.InboundRoutes;
import io.callcenter.destination.VoiceMenu;
import io.callcenter.routing.PhoneNumbers;
import io.callcenter.routing.RoutingService;
import io.callcenter.routing.memory.RoutingMemory;
import io.callcenter.routing.Team;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The carrier sends a call to one of our numbers (DID). A team with a queue: the caller joins it ({@code call/queue}),
 * which offers them to free agents by the queue's strategy or lets them wait with music. A team without one: the
 * caller hears ringback while the team's available agents are rung one after the other, longest idle first; nobody
 * left to ring, or a number nobody owns: the caller hears a message, never silence, and is released.
 */
public final class InboundFlow implements EnteringFlow {

    private final Parties parties;
    private final AgentDirectory agents;
    private final RoutingService routing;
    private final CallProperties properties;
    private final Queues queues;
    private final Menus menus;
    private final Voicemails voicemails;
    private final InboundRoutes routes;
    private final OutboundGuard guard;
    private Admission admission = Admission.OPEN;

    public InboundFlow(Parties parties, AgentDirectory agents, RoutingService routing, CallProperties properties,
                       Queues queues, Menus menus, Voicemails voicemails, InboundRoutes routes, OutboundGuard guard) {
        this.parties = parties;
        this.voicemails = voicemails;
        this.queues = queues;
        this.menus = menus;
        menus.exitTo(this::goTo);
        this.routes = routes;
        this.guard = guard;
        this.agents = agents;
        this.routing = routing;
        this.properties = properties;
    }

    /** The door a new inbound call passes before anything is rung or answered (call/admission). */
    public void admitWith(Admission admission) {
        this.admission = admission;
    }

    @Override
    public Origin origin() {
        return Origin.INBOUND;
    }

    @Override
    public String argument() {
        return "inbound";
    }

    @Override
    public Call begin(UUID callId, StasisStart start, Consumer<Call> register) {
        ChannelSnapshot channel = start.channel();
        String from = PhoneNumbers.toE164(channel.callerNumber(), properties.defaultRegion())
                .orElse(channel.callerNumber().isBlank() ? "anonymous" : channel.callerNumber());
        String to = PhoneNumbers.toE164(channel.dialplanExten(), properties.defaultRegion()).orElse(channel.dialplanExten());
        Call call = Call.start(callId, Origin.INBOUND, Direction.INBOUND, from, to, start.at(), "inbound call");
        register.accept(call);
        call.addLeg(new Leg(channel.id(), Leg.Role.CALLER, Parties.endpointOf(channel), from, null, start.at()));
        if (admission.turnedAway(call, parties, start.at())) {
            return call;
        }

        if (start.args().size() >= 3 && List.of("queue", "menu", "voicemail").contains(start.args().get(1))) {
            return dialplanDestination(call, start.args().get(1), start.args().get(2), start.at());
        }
        // One read of the routing generation; the team, route and queue below come from memory unless it moved.
        RoutingMemory.Recall memory = routing.pin();
        Optional<Team> team = memory.recall("team of number", to, () -> routing.teamForNumber(to));
        if (team.isEmpty()) {
            parties.announce(call, properties.unknownNumberSound(), HangupReason.UNALLOCATED, "unallocated_number", start.at());
            return call;
        }
        call.applyTeam(team.get());
        Optional<InboundRoutes.Route> route = routes.route(to, start.at(), memory);
        if (route.isPresent()) {
            route.get().path().forEach(step -> call.note(start.at(), "routed", step));
            sendTo(call, team.get(), route.get().destination(), start.at());
            return call;
        }
        UUID teamId = team.get().id();
        Optional<QueueSettings> queue = memory.recall("queue of team", teamId, () -> queues.queueOfTeam(teamId));
        if (queue.isPresent()) {
            queues.join(call, queue.get(), start.at());
            return call;
        }
        List<Agent> available = agents.availableInTeam(team.get().id(), memory);
        call.huntList = new ArrayList<>(available.stream().map(Agent::id).toList());
        // 180 towards the carrier: the caller hears ringback while agents' phones ring. First, so that a caller
        // already gone fails the step before any agent's phone rings for them.
        parties.commands().send(new CallCommand.Ring(channel.id()));
        call.callerRingbackSent = true;
        ringNextAgent(call, start.at(), available);
        return call;
    }

    @Override
    public void calleeFailed(Call call, Leg leg, Instant at) {
        if (queues.holds(call)) {
            queues.rangOut(call, leg, at);
            return;
        }
        call.note(at, "agent did not answer", leg.endpoint + " " + Parties.outcomeOf(leg));
        ringNextAgent(call, at, List.of());
    }

    /**
     * The dialplan named a queue, a voice menu or a voicemail box ({@code Stasis(callcenter,inbound,queue|menu|voicemail,<id>)}, see
     * asterisk-config/README.md): whatever number was dialled, the caller goes there as a call of its team.
     */
    private Call dialplanDestination(Call call, String kind, String id, Instant at) {
        Optional<UUID> target;
        try {
            target = Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            target = Optional.empty();
        }
        Optional<UUID> owner = target.flatMap(found -> switch (kind) {
            case "queue" -> queues.queue(found).map(QueueSettings::teamId);
            case "voicemail" -> voicemails.teamOf(found);
            default -> routes.menu(found).map(VoiceMenu::teamId);
        });
        Optional<Team> team = owner.flatMap(routing::team);
        if (team.isEmpty()) {
            parties.announce(call, properties.unknownNumberSound(), HangupReason.UNALLOCATED, "unallocated_number", at);
            return call;
        }
        call.applyTeam(team.get());
        call.note(at, "routed", "dialplan: " + kind + " " + id);
        sendTo(call, team.get(), switch (kind) {
            case "queue" -> new Destination.Queue(target.get());
            case "voicemail" -> new Destination.Voicemail(target.get());
            default -> new Destination.Menu(target.get());
        }, at);
        return call;
    }

    /** The number's own destination (its schedules already followed): a queue, an agent, a message, a number. */
    private void sendTo(Call call, Team team, Destination destination, Instant at) {
        call.note(at, "destination", destination.kind() + " " + destination.target());
        switch (destination) {
            case Destination.Queue queue -> queues.queue(queue.queueId()).ifPresentOrElse(
                    settings -> queues.join(call, settings, at),
                    () -> parties.announce(call, properties.noAgentSound(), HangupReason.NORMAL, "no_agent_available", at));
            case Destination.Agent agent -> {
                call.huntList = new ArrayList<>(List.of(agent.agentId()));
                parties.commands().send(new CallCommand.Ring(call.caller().channelId));
                call.callerRingbackSent = true;
                ringNextAgent(call, at, List.of());
            }
            case Destination.Announcement announcement ->
                    parties.announce(call, announcement.media(), HangupReason.NORMAL, "announcement", at);
            case Destination.Number number -> {
                Optional<OutboundGuard.Refusal> refused = guard.checkNumber(team, number.e164());
                if (refused.isPresent()) {
                    call.note(at, "forward refused", refused.get().detail());
                    parties.announce(call, properties.unknownNumberSound(), HangupReason.NORMAL, refused.get().cause(), at);
                    return;
                }
                parties.ringNumber(call, number.e164(), call.fromNumber, call.fromNumber, at);
            }
            case Destination.Menu menu -> routes.menu(menu.menuId()).ifPresentOrElse(
                    found -> menus.enter(call, found, at),
                    () -> parties.announce(call, properties.noAgentSound(), HangupReason.NORMAL, "no_agent_available", at));
            case Destination.Voicemail box -> voicemails.enter(call, box.boxId(), at);
            case Destination.Schedule schedule ->
                    throw new IllegalStateException("a route ends in a schedule " + schedule.scheduleId());
        }
    }

    /** A menu's choice: through its schedules (at this moment) to where the caller goes. */
    private void goTo(Call call, Destination destination, Instant at) {
        InboundRoutes.Route route = routes.follow(destination, at);
        route.path().forEach(step -> call.note(at, "routed", step));
        Team team = routing.team(call.teamId).orElseThrow(() -> new IllegalStateException("call " + call.id + " has no team"));
        sendTo(call, team, route.destination(), at);
    }

    @Override
    public void keyPressed(Call call, Leg leg, String digit, Instant at) {
        menus.keyPressed(call, leg, digit, at);
        queues.keyPressed(call, leg, digit, at);
        voicemails.keyPressed(call, leg, digit, at);
    }

    @Override
    public void connected(Call call, Instant at) {
        queues.connected(call, at);
    }

    /**
     * The next agent still free: reserved for this call before their phone rings, so no other call takes them;
     * skipped if someone else got them first or their phone is gone. {@code justRead}: agents read in this same
     * step, not read again (a later step, after a ring-out, reads the next one afresh).
     */
    private void ringNextAgent(Call call, Instant at, List<Agent> justRead) {
        while (!call.huntList.isEmpty()) {
            UUID agentId = call.huntList.removeFirst();
            Optional<Agent> agent = justRead.stream().filter(known -> known.id().equals(agentId)).findFirst()
                    .or(() -> agents.byId(agentId));
            if (agent.isEmpty() || !agents.tryReserve(agentId, call.id)) {
                continue;
            }
            if (!agents.reachableAndIdle(agent.get())) {
                agents.release(agentId, call.id);
                continue;
            }
            call.reservedAgents.add(agentId);
            parties.ringCallee(call, agent.get().sipEndpoint(), agent.get().extension(), agentId,
                    Parties.callerId(call.fromNumber, call.fromNumber), properties.agentRingTimeout(), at,
                    "ringing agent " + agent.get().extension());
            return;
        }
        parties.announce(call, properties.noAgentSound(), HangupReason.NORMAL, "no_agent_available", at);
    }
}
