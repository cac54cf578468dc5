package io.callcenter.dialer;

import io.callcenter.dialer.telnyx.TelnyxEvent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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

        /** Reads a message into the call; {@code take} 2 is the one repeat of a message that was not heard. */
        record LeaveMessage(String text, int take) implements Command {
            LeaveMessage(String text) {
                this(text, 1);
            }
        }

        record ReleaseAgent(UUID agentId) implements Command {
        }

        /** The attempt is over: schedule the lead's next attempt or close it. */
        /** The person pressed the opt-out key: on the do-not-call list now, the lead closed when the attempt ends. */
        record OptOut(String key) implements Command {
        }

        record Finish(Outcome outcome) implements Command {
        }

        /** A preview the agent skipped or let lapse: the lead goes back on the list as if never offered. */
        record ReturnLead(String why) implements Command {
        }
    }

    record Transition(AttemptState from, AttemptState to, String event, String detail, Instant at) {
    }

    record Step(Attempt attempt, List<Transition> transitions, List<Command> commands) {
        boolean changed(Attempt before) {
            return !transitions.isEmpty() || !attempt.equals(before);
        }
    }

    static final Duration AGENT_DEADLINE = Duration.ofSeconds(2);

    /** The record of an abandoned person who did not hear the safe-harbor message even the second time. */
    static final String SAFE_HARBOR_FAILED = "safe_harbor_failed";
    /** Speak statuses that end a message heard to its end ({@code null}: a carrier that sends no status). */
    private static final String SPOKEN = "completed";
    /** The person or machine hung up during the message: their hangup follows and ends the attempt. */
    private static final String HUNG_UP_WHILE_SPEAKING = "call_hangup";

    private static final Set<String> HUMAN = Set.of("human", "human_residence", "human_business",
            // Hanging up on a person costs more than an agent hearing a machine for a moment: not_sure goes to agents.
            "not_sure");
    private static final Set<String> DETECTION_ENDED = Set.of("call.machine.detection.ended",
            "call.machine.premium.detection.ended");
    private static final Set<String> GREETING_ENDED = Set.of("call.machine.greeting.ended",
            "call.machine.premium.greeting.ended");

    private final Clock clock;
    private final AttemptTimeouts timeouts;

    AttemptMachine(Clock clock) {
        this(clock, AttemptTimeouts.DEFAULT);
    }

    AttemptMachine(Clock clock, AttemptTimeouts timeouts) {
        this.clock = clock;
        this.timeouts = timeouts;
    }

    // ------------------------------------------------------------------ carrier events

    Step on(Attempt attempt, Campaign campaign, TelnyxEvent event) {
        AttemptStepBuilder b = new AttemptStepBuilder(attempt);
        Instant at = event.occurredAt();
        String type = event.type();
        AttemptState state = attempt.state();
        if (state == AttemptState.ENDED) {
            return b.ignore(type, "attempt already ended", at).build();
        }
        boolean otherLeg = attempt.callControlId() != null && event.callControlId() != null
                && !attempt.callControlId().equals(event.callControlId());
        if (otherLeg) {
            // With target_leg_client_state the transfer's new leg reports to us too: its hangup before the call
            // module took the person over is how a failed transfer shows; the person is still on the first leg.
            if ("call.hangup".equals(type) && state == AttemptState.TRANSFERRING && attempt.claimedAt() == null) {
                return abandon(b.outcome(Outcome.ABANDONED, "transfer to Asterisk failed: " + event.hangupCause()),
                        campaign, type, at).build();
            }
            return b.ignore(type, "event of another call leg", at).build();
        }
        if (attempt.callControlId() == null && event.callControlId() != null) {
            b.attempt = b.attempt.change(d -> d.callControlId = event.callControlId());
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
                    b.answered(at);
                    b.move(AttemptState.ANSWERED, type, null, at);
                } else {
                    b.ignore(type, "already " + state, at);
                }
            }
            case "call.speak.ended" -> speakEnded(b, campaign, event, at);
            case "call.dtmf.received" -> keyPressed(b, campaign, event, at);
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

    /**
     * A key pressed on the call ({@code payload.digit}). Machines press no keys: during a machine's message it shows
     * that detection called a person a machine (abandoned by the rule's definition). The campaign's opt-out key
     * while the safe-harbor or voicemail message plays puts the number on the do-not-call list.
     */
    private void keyPressed(AttemptStepBuilder b, Campaign campaign, TelnyxEvent event, Instant at) {
        String key = event.result();
        AttemptState state = b.attempt.state();
        if ((state == AttemptState.MACHINE || state == AttemptState.LEAVING_MESSAGE) && !b.attempt.tsr().detectionError()) {
            b.attempt = AbandonRule.markedDetectionError(b.attempt);
            b.note("detection error", "key " + key + " pressed during a machine's message: a person", at);
        }
        boolean hearingMessage = state == AttemptState.SAFE_HARBOR || state == AttemptState.HANGING_UP
                || state == AttemptState.MACHINE || state == AttemptState.LEAVING_MESSAGE;
        if (hearingMessage && key != null && key.equals(campaign.compliance().safeHarbor().optOutDigit())) {
            b.note("opted out", "key " + key + ": number put on the do-not-call list", at).command(new Command.OptOut(key));
        } else if (b.transitions.isEmpty()) {
            b.ignore(event.type(), "key " + key + " (" + state + ")", at);
        }
    }

    private void impliedAnswer(AttemptStepBuilder b, String type, Instant at) {
        if (b.attempt.state() == AttemptState.DIALING || b.attempt.state() == AttemptState.RINGING) {
            b.answered(at);
            b.move(AttemptState.ANSWERED, type, "answer implied (call.answered not yet delivered)", at);
        }
    }

    private void detection(AttemptStepBuilder b, Campaign campaign, TelnyxEvent event, Instant at) {
        String type = event.type();
        String result = Objects.requireNonNullElse(event.result(), "not_sure");
        impliedAnswer(b, type, at);
        if (b.attempt.state() != AttemptState.ANSWERED) {
            b.ignore(type, "detection already decided (" + b.attempt.state() + ")", at);
            return;
        }
        b.attempt = b.attempt.change(d -> d.amdResult = result);
        boolean machineToAgent = "machine".equals(result) && campaign.machinesToAgents();
        if (HUMAN.contains(result) || machineToAgent) {
            // The rule's 2 s run from the end of the greeting, which detection heard the configured silence ago.
            Instant now = clock.instant();
            Instant verdict = at.isBefore(now) ? at : now;
            b.attempt = b.attempt.change(d -> {
                d.humanAt = at;
                d.tsr = d.tsr.greetingEndedBefore(verdict);
            });
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

    private void machine(AttemptStepBuilder b, Campaign campaign, String type, String result, Instant at) {
        b.outcome(Outcome.VOICEMAIL, "answering machine");
        if (campaign.voicemailPolicy() == Campaign.VoicemailPolicy.LEAVE_MESSAGE) {
            b.move(AttemptState.MACHINE, type, result + "; waiting for the greeting to end", at);
        } else {
            b.move(AttemptState.HANGING_UP, type, result, at).command(new Command.Hangup("answering machine"));
        }
    }

    private void greeting(AttemptStepBuilder b, Campaign campaign, TelnyxEvent event, Instant at) {
        String type = event.type();
        impliedAnswer(b, type, at);
        if (b.attempt.state() == AttemptState.ANSWERED) {
            // Only machines have greetings that end: the detection result is late, this decides it.
            b.attempt = b.attempt.change(d -> d.amdResult = "machine");
            machine(b, campaign, type, "machine (greeting ended)", at);
        }
        if (b.attempt.state() == AttemptState.MACHINE) {
            b.move(AttemptState.LEAVING_MESSAGE, type, event.result(), at)
                    .command(new Command.LeaveMessage(campaign.voicemailMessage()));
        } else if (b.transitions.isEmpty() || b.attempt.state() != AttemptState.HANGING_UP) {
            b.ignore(type, "no message to leave (" + b.attempt.state() + ")", at);
        }
    }

    /** The event's {@code result} holds {@code payload.status} of a speak event. */
    private void speakEnded(AttemptStepBuilder b, Campaign campaign, TelnyxEvent event, Instant at) {
        String type = event.type();
        String status = Objects.requireNonNullElse(event.result(), SPOKEN);
        AttemptState state = b.attempt.state();
        if (state != AttemptState.SAFE_HARBOR && state != AttemptState.LEAVING_MESSAGE) {
            b.ignore(type, "not leaving a message", at);
        } else if (status.equals(HUNG_UP_WHILE_SPEAKING)) {
            if (state == AttemptState.LEAVING_MESSAGE) {
                b.outcome(Outcome.VOICEMAIL, "hung up during the message");
            }
            b.note(type, "hung up during the message; their hangup ends the attempt", at);
        } else if (!status.equals(SPOKEN)) {
            messageNotHeard(b, campaign, type + " " + status, at);
        } else if (state == AttemptState.SAFE_HARBOR) {
            b.move(AttemptState.HANGING_UP, type, "safe-harbor message played", at)
                    .command(new Command.Hangup("abandoned after the safe-harbor message"));
        } else {
            b.outcome(Outcome.VOICEMAIL, "message left")
                    .move(AttemptState.HANGING_UP, type, "message left", at).command(new Command.Hangup("voicemail message left"));
        }
    }

    /**
     * A message that did not reach its end. The safe-harbor message is owed to the person: it is read once more,
     * and only if that fails too is the call hung up, recorded as {@code safe_harbor_failed}. A voicemail message is
     * not repeated into a recording already cut short.
     */
    private void messageNotHeard(AttemptStepBuilder b, Campaign campaign, String why, Instant at) {
        b.attempt = b.attempt.change(d -> d.messageFailures++);
        if (b.attempt.state() == AttemptState.SAFE_HARBOR && b.attempt.messageFailures() < 2) {
            // The second reading is the fallback built from the checked fields, in case the campaign's own words
            // were what the speech engine could not say.
            b.note("safe-harbor message not heard", why + "; reading it once more", at)
                    .command(new Command.LeaveMessage(campaign.safeHarborFallback(), 2));
        } else if (b.attempt.state() == AttemptState.SAFE_HARBOR) {
            b.attempt = b.attempt.change(d -> d.detail = SAFE_HARBOR_FAILED + ": " + why);
            b.move(AttemptState.HANGING_UP, SAFE_HARBOR_FAILED, why, at).command(new Command.Hangup(SAFE_HARBOR_FAILED));
        } else {
            b.outcome(Outcome.VOICEMAIL, "message not completed: " + why)
                    .move(AttemptState.HANGING_UP, "message not completed", why, at).command(new Command.Hangup("voicemail message failed"));
        }
    }

    private void hangup(AttemptStepBuilder b, TelnyxEvent event, Instant at) {
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
        AttemptStepBuilder b = new AttemptStepBuilder(attempt);
        b.attempt = b.attempt.change(d -> d.agentId = agentId);
        return b.move(AttemptState.TRANSFERRING, "agent reserved", agentId.toString(), clock.instant())
                .command(new Command.Transfer(agentId)).build();
    }

    Step noAgentInTime(Attempt attempt, Campaign campaign) {
        AttemptStepBuilder b = new AttemptStepBuilder(attempt).outcome(Outcome.ABANDONED, "no agent within 2 s");
        return abandon(b, campaign, "no agent within 2 s", clock.instant()).build();
    }

    private AttemptStepBuilder abandon(AttemptStepBuilder b, Campaign campaign, String event, Instant at) {
        if (b.attempt.agentId() != null) {
            b.command(new Command.ReleaseAgent(b.attempt.agentId()));
        }
        return b.move(AttemptState.SAFE_HARBOR, event, "safe-harbor message: " + campaign.safeHarborMessage(), at)
                .command(new Command.LeaveMessage(campaign.safeHarborMessage()));
    }

    Step transferFailed(Attempt attempt, Campaign campaign, String why) {
        AttemptStepBuilder b = new AttemptStepBuilder(attempt).outcome(Outcome.ABANDONED, "transfer failed: " + why);
        return abandon(b, campaign, "transfer failed", clock.instant()).build();
    }

    Step dialFailed(Attempt attempt, Outcome outcome, String why) {
        AttemptStepBuilder b = new AttemptStepBuilder(attempt).outcome(outcome, why);
        return b.move(AttemptState.ENDED, "dial failed", why, clock.instant()).build();
    }

    Step connected(Attempt attempt, UUID callId, Instant at) {
        AttemptStepBuilder b = new AttemptStepBuilder(attempt);
        b.attempt = b.attempt.change(d -> {
            d.callId = callId;
            d.connectedAt = at;
        });
        return b.move(AttemptState.CONNECTED, "connected to agent", "call " + callId, at).build();
    }

    /** The engine played the safe-harbor message itself (no agent could be bridged in time). */
    Step abandonedByEngine(Attempt attempt, Instant at, String reason) {
        AttemptStepBuilder b = new AttemptStepBuilder(attempt).outcome(Outcome.ABANDONED, reason);
        if (b.attempt.agentId() != null) {
            b.command(new Command.ReleaseAgent(b.attempt.agentId()));
        }
        return b.move(AttemptState.HANGING_UP, "abandoned by the call engine", reason, at).build();
    }

    /** A message command the carrier refused: like a message that was not heard. */
    Step messageRefused(Attempt attempt, Campaign campaign, String why) {
        AttemptStepBuilder b = new AttemptStepBuilder(attempt);
        if (attempt.state() == AttemptState.SAFE_HARBOR || attempt.state() == AttemptState.LEAVING_MESSAGE) {
            messageNotHeard(b, campaign, why, clock.instant());
        }
        return b.build();
    }

    /** The call module took the person over: from now on it, not the transfer watchdog, decides. */
    Step claimed(Attempt attempt, Instant at) {
        AttemptStepBuilder b = new AttemptStepBuilder(attempt);
        b.attempt = b.attempt.change(d -> d.claimedAt = at);
        return b.note("claimed by the call engine", "agent " + attempt.agentId(), at).build();
    }

    Step optedOut(Attempt attempt, Instant at) {
        return new AttemptStepBuilder(attempt).note("opted out", "number put on the do-not-call list during the safe-harbor message", at)
                .build();
    }

    // ------------------------------------------------------------------ preview: the agent decides and dials

    /** The agent chose Dial: their page places the call (the same as a callback's), the agent still held for it. */
    Step previewDialled(Attempt attempt, Instant at) {
        return new AttemptStepBuilder(attempt).move(AttemptState.PLACED, "agent dials", "agent " + attempt.agentId(), at)
                .build();
    }

    /** The call module placed the agent's call; from now on the call, not we, holds the agent. */
    Step previewCallPlaced(Attempt attempt, UUID callId, Instant at) {
        if (attempt.state() != AttemptState.PLACED) {
            throw new IllegalAttemptTransition(attempt.id(), attempt.state(), AttemptState.PLACED, "call placed");
        }
        AttemptStepBuilder b = new AttemptStepBuilder(attempt);
        b.attempt = b.attempt.change(d -> d.callId = callId);
        return b.note("call placed", "call " + callId, at).build();
    }

    /** The agent's disposition of their preview call is the attempt's outcome. */
    Step previewDisposed(Attempt attempt, Outcome outcome, Instant at) {
        if (attempt.state() != AttemptState.PLACED) {
            throw new IllegalAttemptTransition(attempt.id(), attempt.state(), AttemptState.ENDED, "disposition");
        }
        return new AttemptStepBuilder(attempt).outcome(outcome, "disposition by agent")
                .move(AttemptState.ENDED, "disposition", outcome.name(), at).build();
    }

    /**
     * The lead goes back on the list: the agent skipped it ({@code why} their reason), the preview lapsed, or the
     * call was never placed. Not an attempt at the person: nobody was dialled.
     */
    Step previewReturned(Attempt attempt, String event, String why, Instant at) {
        AttemptStepBuilder b = new AttemptStepBuilder(attempt);
        b.attempt = b.attempt.change(d -> d.detail = event + ": " + why);
        b.move(AttemptState.ENDED, event, why, at);
        b.commands.removeIf(c -> c instanceof Command.Finish);
        return b.command(new Command.ReturnLead(event + ": " + why)).build();
    }

    /** Dial refused by the guard every mode goes through (the number is on the do-not-call list). */
    Step previewRefused(Attempt attempt, Outcome outcome, String why, Instant at) {
        return new AttemptStepBuilder(attempt).outcome(outcome, why).move(AttemptState.ENDED, "dial refused", why, at)
                .build();
    }

    /**
     * What the carrier never reported in time, at {@code now}: a dial without any word (no answer), a machine
     * without a greeting-ended (the message is left anyway: the greeting is over by then, only no beep was
     * detected), a transfer that never reached our Asterisk (the person hears the safe-harbor message, the agent is
     * freed). Empty when nothing is overdue.
     */
    Optional<Step> overdue(Attempt attempt, Campaign campaign, Instant now) {
        AttemptStepBuilder b = new AttemptStepBuilder(attempt);
        switch (attempt.state()) {
            case DIALING, RINGING -> {
                if (past(attempt.createdAt(), timeouts.silentCarrier(), now)) {
                    // A late answer must not meet dead air: the call is ended at the carrier too.
                    b.outcome(Outcome.NO_ANSWER, "no word from the carrier for " + timeouts.silentCarrier().toSeconds() + " s")
                            .move(AttemptState.ENDED, "carrier silent", attempt.state().name() + "; hung up at the carrier", now)
                            .command(new Command.Hangup("carrier silent"));
                }
            }
            case MACHINE -> {
                if (past(attempt.answeredAt(), timeouts.greeting(), now)) {
                    b.move(AttemptState.LEAVING_MESSAGE, "no greeting end",
                                    "no end of the greeting " + timeouts.greeting().toSeconds() + " s after the answer", now)
                            .command(new Command.LeaveMessage(campaign.voicemailMessage()));
                }
            }
            case SAFE_HARBOR, LEAVING_MESSAGE -> {
                // call.speak.ended may never come: a message has a length, so the call is not left open for ever.
                Instant since = attempt.state() == AttemptState.SAFE_HARBOR ? attempt.humanAt() : attempt.answeredAt();
                if (past(since, timeouts.message(), now)) {
                    b.move(AttemptState.HANGING_UP, "message overdue", "no end of the message reported within "
                                    + timeouts.message().toSeconds() + " s", now)
                            .command(new Command.Hangup("message overdue"));
                }
            }
            case PREVIEWING -> {
                if (past(attempt.createdAt(), timeouts.preview(), now)) {
                    return Optional.of(previewReturned(attempt, "preview timed out",
                            "no Dial or Skip within " + timeouts.preview().toSeconds() + " s", now));
                }
            }
            case PLACED -> {
                // Dial chosen but the page never placed the call (closed, crashed): the agent is not held for ever.
                if (attempt.callId() == null && past(attempt.createdAt(), timeouts.preview().multipliedBy(2), now)) {
                    return Optional.of(previewReturned(attempt, "call never placed",
                            "the agent's page placed no call after Dial", now));
                }
            }
            case TRANSFERRING -> {
                if (attempt.claimedAt() == null && past(attempt.humanAt(), timeouts.transfer(), now)) {
                    abandon(b.outcome(Outcome.ABANDONED, "transfer not completed"), campaign, "transfer stalled",
                            now);
                }
            }
            default -> {
            }
        }
        return b.transitions.isEmpty() ? Optional.empty() : Optional.of(b.build());
    }

    private static boolean past(Instant from, Duration timeout, Instant now) {
        return from != null && !now.isBefore(from.plus(timeout));
    }

    /**
     * After a restart, a transfer sent longer ago than the carrier remembers its command_id: sending it again would
     * transfer twice. The carrier's answer decides: a call still up hears the safe-harbor message, a call gone ends.
     */
    Step unconfirmedTransfer(Attempt attempt, Campaign campaign, Optional<Boolean> alive) {
        AttemptStepBuilder b = new AttemptStepBuilder(attempt).outcome(Outcome.ABANDONED, "transfer unconfirmed across a restart");
        Instant now = clock.instant();
        if (alive.orElse(true)) {
            return abandon(b, campaign, "transfer unconfirmed", now).build();
        }
        return b.move(AttemptState.ENDED, "call over", "the carrier reports the call ended", now).build();
    }
}
