package io.callcenter.dialer;

import io.callcenter.dialer.telnyx.TelnyxEvent;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The attempt state machine, pure: given an attempt and what happened, the attempt after it, the transitions to log
 * and the commands to send. The carrier delivers webhooks at least once and in any order, so an event the attempt is
 * already past is recorded as ignored, and a detection result that arrives before {@code call.answered} implies the
 * answer.
 */
final class AttemptMachine {

    /** What the engine must do after a step. */
    sealed interface Command {
        /** Find an available agent of the team within 2 seconds of the human result, or abandon. */
        record FindAgent(Instant deadline) implements Command {
        }

        record Transfer(UUID agentId) implements Command {
        }

        record Hangup(String why) implements Command {
        }

        record LeaveMessage(String text) implements Command {
        }

        record ReleaseAgent(UUID agentId) implements Command {
        }

        /** The attempt is over: schedule the lead's next attempt or close it. */
        record Finish(Outcome outcome) implements Command {
        }
    }

    record Transition(AttemptState from, AttemptState to, String event, String detail, Instant at) {
    }

    record Step(Attempt attempt, List<Transition> transitions, List<Command> commands) {
        boolean changed(Attempt before) {
            return !transitions.isEmpty() || !attempt.equals(before);
        }
    }

    static final java.time.Duration AGENT_DEADLINE = java.time.Duration.ofSeconds(2);

    private static final Set<String> HUMAN = Set.of("human", "human_residence", "human_business",
            // Hanging up on a person costs more than an agent hearing a machine for a moment: not_sure goes to agents.
            "not_sure");
    private static final Set<String> DETECTION_ENDED = Set.of("call.machine.detection.ended",
            "call.machine.premium.detection.ended");
    private static final Set<String> GREETING_ENDED = Set.of("call.machine.greeting.ended",
            "call.machine.premium.greeting.ended");

    private final Clock clock;

    AttemptMachine(Clock clock) {
        this.clock = clock;
    }

    private final class Builder {
        private final Attempt before;
        private Attempt attempt;
        private final List<Transition> transitions = new ArrayList<>();
        private final List<Command> commands = new ArrayList<>();

        Builder(Attempt attempt) {
            this.before = attempt;
            this.attempt = attempt;
        }

        Builder move(AttemptState to, String event, String detail, Instant at) {
            AttemptState from = attempt.state();
            if (!from.canBecome(to)) {
                throw new IllegalAttemptTransition(attempt.id(), from, to, event);
            }
            attempt = attempt.withState(to);
            transitions.add(new Transition(from, to, event, detail, at));
            if (to == AttemptState.ENDED) {
                attempt = attempt.ended(at);
                if (attempt.agentId() != null && attempt.connectedAt() == null) {
                    commands.add(new Command.ReleaseAgent(attempt.agentId()));
                }
                commands.add(new Command.Finish(attempt.outcome()));
            }
            return this;
        }

        Builder ignore(String event, String why, Instant at) {
            transitions.add(new Transition(attempt.state(), attempt.state(), event, "ignored: " + why, at));
            return this;
        }

        Builder command(Command command) {
            commands.add(command);
            return this;
        }

        Builder outcome(Outcome outcome, String why) {
            attempt = attempt.withOutcome(outcome, why);
            return this;
        }

        Step build() {
            return new Step(attempt, List.copyOf(transitions), List.copyOf(commands));
        }
    }

    // ------------------------------------------------------------------ carrier events

    Step on(Attempt attempt, Campaign campaign, TelnyxEvent event) {
        Builder b = new Builder(attempt);
        Instant at = event.occurredAt();
        String type = event.type();
        AttemptState state = attempt.state();
        if (state == AttemptState.ENDED) {
            return b.ignore(type, "attempt already ended", at).build();
        }
        boolean otherLeg = attempt.callControlId() != null && event.callControlId() != null
                && !attempt.callControlId().equals(event.callControlId());
        if (otherLeg) {
            if ("call.hangup".equals(type) && state == AttemptState.TRANSFERRING) {
                return abandon(b.outcome(Outcome.ABANDONED, "transfer to Asterisk failed: " + event.hangupCause()),
                        campaign, type, at).build();
            }
            return b.ignore(type, "event of another call leg", at).build();
        }
        if (attempt.callControlId() == null && event.callControlId() != null) {
            b.attempt = b.attempt.withCallControlId(event.callControlId());
        }
        switch (type) {
            case "call.initiated" -> {
                if (state == AttemptState.DIALING) {
                    b.move(AttemptState.RINGING, type, null, at);
                } else {
                    b.ignore(type, "already " + state, at);
                }
            }
            case "call.answered" -> {
                if (state == AttemptState.DIALING || state == AttemptState.RINGING) {
                    b.attempt = b.attempt.answered(at);
                    b.move(AttemptState.ANSWERED, type, null, at);
                } else {
                    b.ignore(type, "already " + state, at);
                }
            }
            case "call.speak.ended" -> {
                if (state == AttemptState.SAFE_HARBOR) {
                    b.move(AttemptState.HANGING_UP, type, "safe-harbor message played", at)
                            .command(new Command.Hangup("abandoned after the safe-harbor message"));
                } else if (state == AttemptState.LEAVING_MESSAGE) {
                    b.outcome(Outcome.VOICEMAIL, "message left")
                            .move(AttemptState.HANGING_UP, type, "message left", at).command(new Command.Hangup("voicemail message left"));
                } else {
                    b.ignore(type, "not leaving a message", at);
                }
            }
            case "call.hangup" -> hangup(b, event, at);
            default -> {
                if (DETECTION_ENDED.contains(type)) {
                    detection(b, campaign, event, at);
                } else if (GREETING_ENDED.contains(type)) {
                    greeting(b, campaign, event, at);
                } else {
                    b.ignore(type, "not an event the dialer acts on", at);
                }
            }
        }
        return b.build();
    }

    private void impliedAnswer(Builder b, String type, Instant at) {
        if (b.attempt.state() == AttemptState.DIALING || b.attempt.state() == AttemptState.RINGING) {
            b.attempt = b.attempt.answered(at);
            b.move(AttemptState.ANSWERED, type, "answer implied (call.answered not yet delivered)", at);
        }
    }

    private void detection(Builder b, Campaign campaign, TelnyxEvent event, Instant at) {
        String type = event.type();
        String result = Objects.requireNonNullElse(event.result(), "not_sure");
        impliedAnswer(b, type, at);
        if (b.attempt.state() != AttemptState.ANSWERED) {
            b.ignore(type, "detection already decided (" + b.attempt.state() + ")", at);
            return;
        }
        b.attempt = b.attempt.withAmdResult(result);
        boolean machineToAgent = "machine".equals(result) && campaign.machinesToAgents();
        if (HUMAN.contains(result) || machineToAgent) {
            // The rule's 2 s run from the end of the greeting, which detection heard the configured silence ago.
            Instant now = clock.instant();
            b.attempt = b.attempt.human(at).greetingEnded(at.isBefore(now) ? at : now);
            b.move(AttemptState.HUMAN, type, machineToAgent ? result + "; to an agent, detection errors would exceed the budget"
                    : result, at).command(new Command.FindAgent(b.attempt.tsr().greetingEndedAt().plus(AGENT_DEADLINE)));
        } else if ("machine".equals(result)) {
            machine(b, campaign, type, result, at);
        } else if ("fax_detected".equals(result)) {
            b.outcome(Outcome.WRONG_NUMBER, "fax machine")
                    .move(AttemptState.HANGING_UP, type, result, at).command(new Command.Hangup("fax"));
        } else {
            // silence: nobody spoke; treat it like an unanswered call and try again later.
            b.outcome(Outcome.NO_ANSWER, "answered with silence")
                    .move(AttemptState.HANGING_UP, type, result, at).command(new Command.Hangup(result));
        }
    }

    private void machine(Builder b, Campaign campaign, String type, String result, Instant at) {
        b.outcome(Outcome.VOICEMAIL, "answering machine");
        if (campaign.voicemailPolicy() == Campaign.VoicemailPolicy.LEAVE_MESSAGE) {
            b.move(AttemptState.MACHINE, type, result + "; waiting for the greeting to end", at);
        } else {
            b.move(AttemptState.HANGING_UP, type, result, at).command(new Command.Hangup("answering machine"));
        }
    }

    private void greeting(Builder b, Campaign campaign, TelnyxEvent event, Instant at) {
        String type = event.type();
        impliedAnswer(b, type, at);
        if (b.attempt.state() == AttemptState.ANSWERED) {
            // Only machines have greetings that end: the detection result is late, this decides it.
            b.attempt = b.attempt.withAmdResult("machine");
            machine(b, campaign, type, "machine (greeting ended)", at);
        }
        if (b.attempt.state() == AttemptState.MACHINE) {
            b.move(AttemptState.LEAVING_MESSAGE, type, event.result(), at)
                    .command(new Command.LeaveMessage(campaign.voicemailMessage()));
        } else if (b.transitions.isEmpty() || b.attempt.state() != AttemptState.HANGING_UP) {
            b.ignore(type, "no message to leave (" + b.attempt.state() + ")", at);
        }
    }

    private void hangup(Builder b, TelnyxEvent event, Instant at) {
        Attempt a = b.attempt;
        String cause = Objects.requireNonNullElse(event.hangupCause(), "unspecified");
        if (a.outcome() == null || a.state() == AttemptState.MACHINE || a.state() == AttemptState.LEAVING_MESSAGE) {
            switch (a.state()) {
                case DIALING, RINGING -> {
                    switch (cause) {
                        case "user_busy", "call_rejected" -> b.outcome(Outcome.BUSY, cause);
                        case "not_found" -> b.outcome(Outcome.DISCONNECTED, cause);
                        // Answered and hung up, with call.answered still on its way.
                        case "normal_clearing" -> b.outcome(Outcome.ANSWERED, "ended before detection");
                        default -> b.outcome(Outcome.NO_ANSWER, cause);
                    }
                }
                case ANSWERED -> b.outcome(Outcome.ANSWERED, "hung up during detection");
                // Counted against us: a person waited and no agent came (they may have hung up within 2 s too).
                case HUMAN, TRANSFERRING -> b.outcome(Outcome.ABANDONED, "lead hung up before an agent was connected");
                case CONNECTED -> b.outcome(Outcome.ANSWERED, null);
                case MACHINE, LEAVING_MESSAGE -> b.outcome(Outcome.VOICEMAIL,
                        a.state() == AttemptState.LEAVING_MESSAGE ? "hung up during the message" : "machine hung up first");
                default -> b.outcome(Outcome.NO_ANSWER, cause);
            }
        }
        b.move(AttemptState.ENDED, event.type(), cause, at);
    }

    // ------------------------------------------------------------------ our own decisions

    Step agentReserved(Attempt attempt, UUID agentId) {
        Builder b = new Builder(attempt);
        b.attempt = b.attempt.withAgent(agentId);
        return b.move(AttemptState.TRANSFERRING, "agent reserved", agentId.toString(), clock.instant())
                .command(new Command.Transfer(agentId)).build();
    }

    Step noAgentInTime(Attempt attempt, Campaign campaign) {
        Builder b = new Builder(attempt).outcome(Outcome.ABANDONED, "no agent within 2 s");
        return abandon(b, campaign, "no agent within 2 s", clock.instant()).build();
    }

    private Builder abandon(Builder b, Campaign campaign, String event, Instant at) {
        if (b.attempt.agentId() != null) {
            b.command(new Command.ReleaseAgent(b.attempt.agentId()));
        }
        return b.move(AttemptState.SAFE_HARBOR, event, "safe-harbor message: " + campaign.safeHarborMessage(), at)
                .command(new Command.LeaveMessage(campaign.safeHarborMessage()));
    }

    Step transferFailed(Attempt attempt, Campaign campaign, String why) {
        Builder b = new Builder(attempt).outcome(Outcome.ABANDONED, "transfer failed: " + why);
        return abandon(b, campaign, "transfer failed", clock.instant()).build();
    }

    Step dialFailed(Attempt attempt, Outcome outcome, String why) {
        Builder b = new Builder(attempt).outcome(outcome, why);
        return b.move(AttemptState.ENDED, "dial failed", why, clock.instant()).build();
    }

    /**
     * An agent, or an event after the verdict, showed that detection's "machine" was a person: by the rule's definition
     * that person was abandoned, and the record says so.
     */
    Step detectionError(Attempt attempt, String why) {
        Builder b = new Builder(attempt);
        if (attempt.tsr().detectionError() || attempt.answeredAt() == null) {
            return b.ignore("detection error", attempt.answeredAt() == null ? "never answered" : "already recorded",
                    clock.instant()).build();
        }
        Attempt.Tsr tsr = attempt.tsr();
        Instant greetingEnd = tsr.greetingEndedAt() != null ? tsr.greetingEndedAt() : attempt.answeredAt();
        b.attempt = b.attempt.withTsr(new Attempt.Tsr(tsr.greetingSilenceMillis(), greetingEnd, true));
        b.transitions.add(new Transition(attempt.state(), attempt.state(), "detection error", why, clock.instant()));
        return b.build();
    }

    Step connected(Attempt attempt, UUID callId, Instant at) {
        Builder b = new Builder(attempt);
        b.attempt = b.attempt.connected(callId, at);
        return b.move(AttemptState.CONNECTED, "connected to agent", "call " + callId, at).build();
    }

    /** The engine played the safe-harbor message itself (no agent could be bridged in time). */
    Step abandonedByEngine(Attempt attempt, Instant at, String reason) {
        Builder b = new Builder(attempt).outcome(Outcome.ABANDONED, reason);
        if (b.attempt.agentId() != null) {
            b.command(new Command.ReleaseAgent(b.attempt.agentId()));
        }
        return b.move(AttemptState.HANGING_UP, "abandoned by the call engine", reason, at).build();
    }
}
