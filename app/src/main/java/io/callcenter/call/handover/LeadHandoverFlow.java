package io.callcenter.call.handover;

import io.callcenter.agent.Agent;
import io.callcenter.agent.AgentDirectory;
import io.callcenter.asterisk.AsteriskEvent.StasisStart;
import io.callcenter.asterisk.AsteriskGateway.HangupReason;
import io.callcenter.asterisk.ChannelSnapshot;
import io.callcenter.call.CallState;
import io.callcenter.call.DialledLeads;
import io.callcenter.call.Direction;
import io.callcenter.call.command.CallCommand;
import io.callcenter.call.lifecycle.EnteringFlow;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.CallProperties;
import io.callcenter.call.model.Leg;
import io.callcenter.call.model.Origin;
import io.callcenter.call.parties.Parties;
import io.callcenter.routing.RoutingService;
import io.callcenter.routing.Team;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A person the auto-dialer reached, transferred to us by the carrier: the agent reserved for the attempt is rung
 * with auto-answer (the softphone picks up at once) and bridged with the person. No agent (the attempt was given up
 * meanwhile, or the dialler did not answer in time) or an agent phone that fails: the person hears the campaign's
 * safe-harbor message, may press the opt-out key, and the attempt counts as abandoned.
 */
public final class LeadHandoverFlow implements EnteringFlow {

    private static final Logger log = LoggerFactory.getLogger(LeadHandoverFlow.class);

    private final Parties parties;
    private final AgentDirectory agents;
    private final RoutingService routing;
    private final CallProperties properties;
    private final DialledLeads leads;

    public LeadHandoverFlow(Parties parties, AgentDirectory agents, RoutingService routing, CallProperties properties,
                            DialledLeads leads) {
        this.parties = parties;
        this.agents = agents;
        this.routing = routing;
        this.properties = properties;
        this.leads = leads;
    }

    @Override
    public Origin origin() {
        return Origin.DIALLED_LEAD;
    }

    @Override
    public String argument() {
        return "dialer";
    }

    /**
     * The attempt's id becomes the call's: the dialler reserved the agent under that id, so the call holds and frees
     * the very same reservation, and the call record and the attempt share one id.
     */
    @Override
    public UUID callIdFor(StasisStart start, Predicate<UUID> taken) {
        if (start.args().size() > 1) {
            try {
                UUID attemptId = UUID.fromString(start.args().get(1));
                if (!taken.test(attemptId)) {
                    return attemptId;
                }
            } catch (IllegalArgumentException e) {
                log.warn("Dialer call with a malformed attempt id {}", start.args().get(1));
            }
        }
        return UUID.randomUUID();
    }

    @Override
    public Call begin(UUID callId, StasisStart start, Consumer<Call> register) {
        ChannelSnapshot channel = start.channel();
        Optional<DialledLeads.Handover> handover = Optional.empty();
        if (start.args().size() > 1 && callId.toString().equals(start.args().get(1))) {
            handover = claim(callId);
        }
        String leadNumber = handover.map(DialledLeads.Handover::leadNumber).orElse(channel.callerNumber());
        Optional<Team> team = handover.flatMap(h -> routing.team(h.teamId()));
        Call call = Call.start(callId, Origin.DIALLED_LEAD, Direction.OUTBOUND,
                team.map(Team::callerIdNumber).orElse(""), leadNumber, start.at(), "dialled lead transferred to us");
        register.accept(call);
        call.addLeg(new Leg(channel.id(), Leg.Role.CALLER, Parties.endpointOf(channel), leadNumber, null, start.at()));
        Optional<Agent> agent = handover.flatMap(h -> agents.byId(h.agentId()));
        if (handover.isEmpty() || team.isEmpty() || agent.isEmpty()) {
            // Nobody waits for this person any more: still the campaign's own message, with its opt-out key.
            if (start.args().size() > 1 && callId.toString().equals(start.args().get(1))) {
                call.dialerAttemptId = callId;
                safeHarborOf(callId).ifPresent(message -> {
                    call.safeHarborSound = blankToNull(message.sound());
                    call.optOutDigit = message.optOutDigit();
                });
            }
            parties.announce(call, safeHarborSound(call), HangupReason.NORMAL, "abandoned", start.at());
            return call;
        }
        DialledLeads.Handover lead = handover.get();
        call.applyTeam(team.get());
        call.dialerAttemptId = callId;
        call.leadId = lead.leadId() == null ? null : lead.leadId().toString();
        call.optOutDigit = lead.optOutDigit();
        call.safeHarborSound = blankToNull(lead.safeHarborSound());
        call.agentId = agent.get().id();
        call.reservedAgents.add(agent.get().id());
        call.maxCallSeconds = lead.maxCallSeconds(call.maxCallSeconds, start.at());
        // The person has been talking to the carrier's AMD already: answer at once so they hear us, not silence.
        parties.commands().send(new CallCommand.Answer(channel.id()));
        call.caller().answeredAt = start.at();
        // The agent's screen shows whom they are about to talk to: the lead's name from the list, else the number.
        String leadName = lead.leadName() == null || lead.leadName().isBlank() ? leadNumber : lead.leadName();
        Map<String, String> variables = Parties.autoAnswer(Parties.callerId(leadNumber, leadName), call.id);
        parties.ringCallee(call, agent.get().sipEndpoint(), agent.get().extension(), agent.get().id(), variables,
                properties.agentRingTimeout(), start.at(), "connecting agent " + agent.get().extension());
        return call;
    }

    /** The dialler answers within its bound; past it, or failing, the person is not claimed (safe harbor). */
    private Optional<DialledLeads.Handover> claim(UUID attemptId) {
        try {
            return CompletableFuture.supplyAsync(() -> leads.claim(attemptId), Thread.ofVirtual()::start)
                    .get(DialledLeads.ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            log.error("attempt {}: the dialler did not hand the person over: {}", attemptId, e.toString());
            return Optional.empty();
        }
    }

    private Optional<DialledLeads.SafeHarbor> safeHarborOf(UUID attemptId) {
        try {
            return leads.safeHarbor(attemptId);
        } catch (RuntimeException e) {
            log.error("attempt {}: the campaign's safe-harbor message could not be read: {}", attemptId, e.toString());
            return Optional.empty();
        }
    }

    /** The campaign's recorded message, else the deployment's default: a message in any case, never silence. */
    private String safeHarborSound(Call call) {
        return call.safeHarborSound != null ? call.safeHarborSound : properties.safeHarborSound();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public void connected(Call call, Instant at) {
        if (call.dialerAttemptId != null) {
            leads.connected(call.dialerAttemptId, call.id, at);
        }
    }

    /** Nobody else was promised to this person: the safe-harbor message, and the attempt is abandoned. */
    @Override
    public void calleeFailed(Call call, Leg leg, Instant at) {
        if (call.dialerAttemptId != null) {
            leads.abandoned(call.dialerAttemptId, at, "agent phone " + Parties.outcomeOf(leg));
        }
        parties.announce(call, safeHarborSound(call), HangupReason.NORMAL, "abandoned", at);
    }

    /** The opt-out key during the safe-harbor message puts the person on the do-not-call list, and we say goodbye. */
    @Override
    public void keyPressed(Call call, Leg leg, String digit, Instant at) {
        if (call.dialerAttemptId == null || call.optOutDigit == null || !call.optOutDigit.equals(digit)
                || leg.role != Leg.Role.CALLER || call.state() != CallState.ANNOUNCING) {
            return;
        }
        call.note(at, "opted out", "key " + digit);
        leads.optedOut(call.dialerAttemptId, at);
        call.optOutDigit = null;
    }
}
