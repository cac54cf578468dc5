package io.callcenter.dialer;

import io.callcenter.dialer.AttemptMachine.Command;
import io.callcenter.dialer.AttemptMachine.Step;
import io.callcenter.dialer.AttemptMachine.Transition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One step of {@link AttemptMachine} being put together: every move is checked against {@link AttemptState}'s
 * transitions and recorded, and ending the attempt always frees an agent the person never reached and finishes the
 * lead, so no decision can forget either.
 */
final class AttemptStepBuilder {
    Attempt attempt;
    final List<Transition> transitions = new ArrayList<>();
    final List<Command> commands = new ArrayList<>();

    AttemptStepBuilder(Attempt attempt) {
        this.attempt = attempt;
    }

    AttemptStepBuilder move(AttemptState to, String event, String detail, Instant at) {
        AttemptState from = attempt.state();
        if (!from.canBecome(to)) {
            throw new IllegalAttemptTransition(attempt.id(), from, to, event);
        }
        attempt = attempt.change(d -> d.state = to);
        transitions.add(new Transition(from, to, event, detail, at));
        if (to == AttemptState.ENDED) {
            attempt = attempt.change(d -> d.endedAt = at);
            // A preview call placed by the agent is the call module's: its end frees the agent, not ours.
            if (attempt.agentId() != null && attempt.connectedAt() == null && attempt.callId() == null) {
                commands.add(new Command.ReleaseAgent(attempt.agentId()));
            }
            commands.add(new Command.Finish(attempt.outcome()));
        }
        return this;
    }

    /** The first answer counts: a late or repeated one does not move it. */
    void answered(Instant at) {
        attempt = attempt.change(d -> d.answeredAt = d.answeredAt == null ? at : d.answeredAt);
    }

    AttemptStepBuilder ignore(String event, String why, Instant at) {
        transitions.add(new Transition(attempt.state(), attempt.state(), event, "ignored: " + why, at));
        return this;
    }

    /** A fact worth the record that changes no state. */
    AttemptStepBuilder note(String event, String detail, Instant at) {
        transitions.add(new Transition(attempt.state(), attempt.state(), event, detail, at));
        return this;
    }

    AttemptStepBuilder command(Command command) {
        commands.add(command);
        return this;
    }

    AttemptStepBuilder outcome(Outcome outcome, String why) {
        attempt = attempt.change(d -> {
            d.outcome = outcome;
            d.detail = why;
        });
        return this;
    }

    Step build() {
        return new Step(attempt, List.copyOf(transitions), List.copyOf(commands));
    }
}
