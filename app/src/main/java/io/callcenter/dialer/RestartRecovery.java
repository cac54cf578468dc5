package io.callcenter.dialer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * Picks up the attempts in flight after a restart (or a change of leader), from the database: the agents' reservations
 * lived in the old process's memory. Runs on the lane; a carrier query runs off it and its answer comes back to it.
 */
final class RestartRecovery {

    /** The engine's logger: these lines were the engine's before this class was split from it, and keep its name. */
    private static final Logger log = LoggerFactory.getLogger(DialerEngine.class);
    /** Telnyx remembers a command_id this long: a transfer re-sent later would run twice. */
    static final Duration COMMAND_ID_MEMORY = Duration.ofSeconds(60);
    /** A claimed transfer's "connected" normally comes within milliseconds of the agent's answer; past this, read it. */
    static final Duration NOTICE_GRACE = Duration.ofSeconds(5);

    private final DialerEngine engine;
    private final AttemptCommands toCarryOut;
    private final WaitingHumans waiting;
    private final AttemptRepository attempts;
    private final TeamAgents agents;
    private final CallControl control;
    private final AttemptMachine machine;
    private final Clock clock;
    private final Executor lane;
    private final Executor commands;
    /** Transfers whose state is being asked of the carrier after a restart: no watchdog meanwhile; lane only. */
    private final java.util.Set<UUID> checking = new java.util.HashSet<>();

    RestartRecovery(DialerEngine engine, AttemptCommands toCarryOut, WaitingHumans waiting, AttemptRepository attempts,
                    TeamAgents agents, CallControl control, AttemptMachine machine, Clock clock, Executor lane,
                    Executor commands) {
        this.engine = engine;
        this.toCarryOut = toCarryOut;
        this.waiting = waiting;
        this.attempts = attempts;
        this.agents = agents;
        this.control = control;
        this.machine = machine;
        this.clock = clock;
        this.lane = lane;
        this.commands = commands;
    }

    /**
     * After a restart: humans who were waiting for an agent have waited too long by now. A person being transferred
     * keeps the agent reserved for them (reservations live in memory and died with the old process). A transfer the
     * call module took over is its business; one sent within the carrier's command_id memory is sent again (a
     * duplicate is ignored there); an older one is not, as it would run twice: the carrier is asked about the call.
     */
    void recover() {
        Instant now = clock.instant();
        for (Attempt attempt : attempts.allOpen()) {
            if (attempt.state() == AttemptState.HUMAN) {
                waiting.waitUntil(attempt.id(), now);
            } else if (attempt.state() == AttemptState.TRANSFERRING && attempt.agentId() != null) {
                recoverTransfer(attempt, now);
            } else if (attempt.state() == AttemptState.CONNECTED && attempt.agentId() != null) {
                // The call engine re-reserves the agent for the live call under the same id when it resynchronises.
                agents.tryReserve(attempt.agentId(), attempt.id());
            }
        }
    }

    /**
     * A transfer the call module took over and has not reported connected for a while: its notice may have been
     * lost (it is told from the call's lane and not waited for; a crash or an outage before the dialler's commit
     * loses it), so the call's record is read instead.
     */
    boolean overdueClaim(Attempt attempt, Instant now) {
        return attempt.state() == AttemptState.TRANSFERRING && attempt.claimedAt() != null
                && !now.isBefore(attempt.claimedAt().plus(NOTICE_GRACE)) && !engine.connectedQueued.containsKey(attempt.id());
    }

    /**
     * A claimed transfer whose call is stored as answered by the agent is CONNECTED at the time the call's record
     * gives: the person reached their agent, and the abandon rate must not count them. Not answered on record: it
     * stays as it is (the agent's phone may still ring; the carrier's hangup ends it).
     */
    void settleClaimed(Attempt attempt) {
        engine.agentAnsweredOnRecord(attempt.id()).ifPresent(at -> {
            log.info("attempt {}: connected on the call's record (its notice was not stored)", attempt.id());
            engine.step(attempt, machine.connected(attempt, attempt.id(), at));
        });
    }

    /** The carrier is being asked about this transfer: its watchdog waits for the answer. */
    boolean checking(UUID attemptId) {
        return checking.contains(attemptId);
    }

    private void recoverTransfer(Attempt attempt, Instant now) {
        if (attempt.claimedAt() != null) {
            agents.tryReserve(attempt.agentId(), attempt.id());
            settleClaimed(attempt);
            return;
        }
        Instant sent = attempts.events(attempt.id()).stream().filter(e -> AttemptState.TRANSFERRING.name().equals(e.to()))
                .map(AttemptRepository.Event::at).reduce((first, last) -> last).orElse(attempt.createdAt());
        if (now.isBefore(sent.plus(COMMAND_ID_MEMORY)) && agents.tryReserve(attempt.agentId(), attempt.id())) {
            log.info("attempt {}: transfer resumed after a restart", attempt.id());
            toCarryOut.carryOut(attempt, new AttemptMachine.Command.Transfer(attempt.agentId()));
            return;
        }
        checking.add(attempt.id());
        commands.execute(() -> {
            Optional<Boolean> alive = attempt.callControlId() == null ? Optional.of(false) : control.alive(attempt.callControlId());
            lane.execute(() -> {
                checking.remove(attempt.id());
                attempts.find(attempt.id()).filter(a -> a.state() == AttemptState.TRANSFERRING && a.claimedAt() == null)
                        .ifPresent(a -> engine.step(a, machine.unconfirmedTransfer(a, engine.campaignOf(a), alive)));
            });
        });
    }
}
