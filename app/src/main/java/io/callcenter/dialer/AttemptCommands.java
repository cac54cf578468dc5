package io.callcenter.dialer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * Carries out what {@link AttemptMachine} decided: finds an agent, sends the carrier's commands (off the lane, their
 * failures coming back to it as steps), releases agents, returns or finishes the lead. Called on the lane, after the
 * step that asked for it is stored.
 */
final class AttemptCommands {

    /** The engine's logger: these lines were the engine's before this class was split from it, and keep its name. */
    private static final Logger log = LoggerFactory.getLogger(DialerEngine.class);

    private final DialerEngine engine;
    private final WaitingHumans waiting;
    private final HeldAgents held;
    private final LeadRepository leads;
    private final AttemptRepository attempts;
    private final DoNotCall doNotCall;
    private final CallControl control;
    private final AgentOffers offers;
    private final Previews previews;
    private final AttemptMachine machine;
    private final Clock clock;
    private final Executor lane;
    private final Executor commands;
    /** Leads' outcomes given before their attempt ended (agent's disposition, opt-out); applied when it does. */
    private final Map<UUID, Outcome> laterOutcomes = new java.util.concurrent.ConcurrentHashMap<>();

    AttemptCommands(DialerEngine engine, WaitingHumans waiting, HeldAgents held, LeadRepository leads,
                    AttemptRepository attempts, DoNotCall doNotCall, CallControl control, AgentOffers offers,
                    Previews previews, AttemptMachine machine, Clock clock, Executor lane, Executor commands) {
        this.engine = engine;
        this.waiting = waiting;
        this.held = held;
        this.leads = leads;
        this.attempts = attempts;
        this.doNotCall = doNotCall;
        this.control = control;
        this.offers = offers;
        this.previews = previews;
        this.machine = machine;
        this.clock = clock;
        this.lane = lane;
        this.commands = commands;
    }

    void carryOut(Attempt attempt, AttemptMachine.Command command) {
        switch (command) {
            case AttemptMachine.Command.FindAgent find -> {
                waiting.waitUntil(attempt.id(), find.deadline());
                waiting.match();
            }
            case AttemptMachine.Command.Transfer transfer -> commands.execute(() -> {
                try {
                    control.transfer(attempt.callControlId(), attempt.id());
                } catch (CallControl.Refused e) {
                    log.warn("Transfer of attempt {} failed: {}", attempt.id(), e.getMessage());
                    lane.execute(() -> attempts.find(attempt.id()).filter(a -> a.state() == AttemptState.TRANSFERRING)
                            .ifPresent(a -> engine.step(a, machine.transferFailed(a, engine.campaignOf(a), e.getMessage()))));
                }
            });
            case AttemptMachine.Command.Hangup hangup -> {
                if (attempt.callControlId() != null) {
                    commands.execute(() -> {
                        try {
                            control.hangup(attempt.callControlId(), attempt.id());
                        } catch (CallControl.Refused e) {
                            log.warn("Hangup of attempt {} ({}) failed: {}", attempt.id(), hangup.why(), e.getMessage());
                        }
                    });
                }
            }
            case AttemptMachine.Command.LeaveMessage message -> commands.execute(() -> {
                try {
                    control.speak(attempt.callControlId(), attempt.id(), message.text(), message.take());
                } catch (CallControl.Refused e) {
                    log.warn("Message for attempt {} failed: {}", attempt.id(), e.getMessage());
                    lane.execute(() -> attempts.find(attempt.id())
                            .ifPresent(a -> engine.step(a, machine.messageRefused(a, engine.campaignOf(a), "speak refused: " + e.getMessage()))));
                }
            });
            case AttemptMachine.Command.ReleaseAgent release -> offers.release(release.agentId(), attempt.id());
            case AttemptMachine.Command.ReturnLead back -> previews.returnLead(attempt, back.why(), clock.instant());
            case AttemptMachine.Command.Finish finish -> finish(attempt, finish.outcome());
            case AttemptMachine.Command.OptOut optOut -> {
                // Honoured at once, and the lead closes as DO_NOT_CALL when the attempt ends.
                doNotCall.add(attempt.e164(), "opted out (key " + optOut.key() + ") during a message of campaign "
                        + engine.campaignOf(attempt).name());
                laterOutcomes.put(attempt.id(), Outcome.DO_NOT_CALL);
            }
        }
    }

    /** The lead's outcome once its open attempt ends, whatever the attempt's own outcome. */
    void outcomeWhenEnded(UUID attemptId, Outcome outcome) {
        laterOutcomes.put(attemptId, outcome);
    }

    private void finish(Attempt attempt, Outcome attemptOutcome) {
        waiting.stopWaiting(attempt.id());
        held.release(attempt.id());
        // The agent may have given their disposition (or the person opted out) before the carrier's hangup reached us.
        Outcome given = laterOutcomes.remove(attempt.id());
        Outcome outcome = given != null ? given : attemptOutcome;
        Campaign campaign = engine.campaignOf(attempt);
        Lead lead = leads.find(attempt.leadId()).orElseThrow();
        Instant next = campaign.retry().next(lead.attempts(), outcome, attempt.endedAt()).orElse(null);
        leads.finish(lead.id(), outcome, next, campaign.retry().closedReason(lead.attempts(), outcome).orElse(null));
        if (outcome == Outcome.DO_NOT_CALL) {
            doNotCall.add(lead.e164(), "campaign " + campaign.name());
        }
    }
}
