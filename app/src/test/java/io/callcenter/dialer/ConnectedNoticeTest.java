package io.callcenter.dialer;

import io.callcenter.dialer.telnyx.TelnyxEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The call module's "connected", told from the call's lane the moment person and agent hear each other: queued on
 * the dialer's lane without the call's lane waiting, and, when it is lost (a crash or an outage before the dialer's
 * commit), settled from the call's record, so a person who reached their agent is never counted as abandoned.
 */
class ConnectedNoticeTest {

    private static final Instant T0 = Instant.parse("2026-11-25T15:00:00Z");

    private final DialerFakes.TestClock clock = new DialerFakes.TestClock(T0);
    private final DialerFakes.Campaigns campaigns = new DialerFakes.Campaigns();
    private final DialerFakes.Leads leads = new DialerFakes.Leads();
    private final DialerFakes.Attempts attempts = new DialerFakes.Attempts();
    private final DialerFakes.Agents agents = new DialerFakes.Agents();
    private final DialerFakes.NotToCall notToCall = new DialerFakes.NotToCall();
    private final DialerFakes.Carrier carrier = new DialerFakes.Carrier();
    private final DialerProperties properties = new DialerProperties(true, null, null, null, null,
            Duration.ofSeconds(30), Duration.ofSeconds(10), null, null, null, null);
    /** The dialer's lane: runs in place unless a test holds it ({@link #held}). */
    private final Queue<Runnable> held = new ArrayDeque<>();
    private boolean holding;
    private final DialerEngine engine = new DialerEngine(campaigns, leads, attempts, agents, notToCall, carrier, true,
            Duration.ofSeconds(25), new DialerFakes.Inbox(), new DialerEngineTest.Transactions(), clock,
            task -> {
                if (holding) {
                    held.add(task);
                } else {
                    task.run();
                }
            }, Runnable::run, properties);
    private final DialerService service = new DialerService(engine, attempts, leads, notToCall, clock);
    private final UUID alice = UUID.randomUUID();
    private int events;

    {
        agents.available.add(alice);
    }

    /** A person answered, was found human, had alice reserved and was transferred; the call module claimed them. */
    private Attempt claimedPerson() {
        Campaign c = new Campaign(UUID.randomUUID(), "c", UUID.randomUUID(), "+15550100", DialMode.CONSERVATIVE,
                DialMode.CONSERVATIVE.fixedRatio(), 0.03, CallingHours.DEFAULT, RetryRules.DEFAULT,
                Campaign.VoicemailPolicy.HANGUP, "vm", "premium", "Sorry we missed you", true, "on", false, null, T0,
                new Campaign.Compliance(T0, 0.01, null));
        campaigns.insert(c);
        leads.add(c.id(), "+12125550101", T0);
        engine.tick();
        Attempt a = attempts.find(carrier.dials.getLast().attemptId()).orElseThrow();
        carrierSays(a, "call.answered", null, null);
        carrierSays(a, "call.machine.premium.detection.ended", "human_residence", null);
        assertThat(service.claim(a.id())).isPresent();
        assertThat(now(a).state()).isEqualTo(AttemptState.TRANSFERRING);
        return now(a);
    }

    private void carrierSays(Attempt a, String type, String result, String cause) {
        engine.apply(new TelnyxEvent("e" + (++events), type, clock.instant(), now(a).callControlId(), a.id(), result,
                cause, "callee"));
    }

    private Attempt now(Attempt a) {
        return attempts.find(a.id()).orElseThrow();
    }

    @Test
    void the_notice_is_queued_on_the_dialers_lane_and_the_caller_goes_on_at_once() {
        Attempt a = claimedPerson();
        Instant answered = clock.instant();
        holding = true;
        service.connected(a.id(), a.id(), answered);
        assertThat(held).as("queued, not yet stored").hasSize(1);
        assertThat(now(a).state()).isEqualTo(AttemptState.TRANSFERRING);
        holding = false;
        held.poll().run();
        assertThat(now(a).state()).isEqualTo(AttemptState.CONNECTED);
        assertThat(now(a).connectedAt()).isEqualTo(answered);
        assertThat(now(a).callId()).isEqualTo(a.id());
        assertThat(attempts.eventNames(a.id())).endsWith("connected to agent");
    }

    @Test
    void a_notice_still_queued_on_a_busy_lane_is_not_second_guessed_from_the_calls_record() {
        Attempt a = claimedPerson();
        int[] recordReads = {0};
        engine.callRecordsFrom(id -> {
            recordReads[0]++;
            return Optional.of(clock.instant());
        });
        Instant answered = clock.instant();
        holding = true;
        service.connected(a.id(), a.id(), answered);
        clock.advance(RestartRecovery.NOTICE_GRACE.plusSeconds(1));
        engine.tick();  // queued behind the notice: the watchdog runs first only if the lane ran it first
        holding = false;
        Runnable notice = held.poll();
        while (!held.isEmpty()) {
            held.poll().run();
        }
        assertThat(recordReads[0]).as("the watchdog's tick ran while the notice was queued").isZero();
        notice.run();
        assertThat(now(a).state()).isEqualTo(AttemptState.CONNECTED);
        assertThat(now(a).connectedAt()).as("the notice's time, not the record's").isEqualTo(answered);
    }

    @Test
    void a_lane_that_takes_no_more_work_does_not_break_the_callers_step() {
        Attempt a = claimedPerson();
        DialerEngine closed = new DialerEngine(campaigns, leads, attempts, agents, notToCall, carrier, true,
                Duration.ofSeconds(25), new DialerFakes.Inbox(), new DialerEngineTest.Transactions(), clock,
                task -> {
                    throw new java.util.concurrent.RejectedExecutionException("shutting down");
                }, Runnable::run, properties);
        new DialerService(closed, attempts, leads, notToCall, clock).connected(a.id(), a.id(), clock.instant());
        assertThat(now(a).state()).as("left for the call's record to settle").isEqualTo(AttemptState.TRANSFERRING);
    }

    @Test
    void a_lost_notice_is_settled_from_the_calls_record_once_it_is_overdue_and_the_person_is_not_counted_abandoned() {
        Attempt a = claimedPerson();
        Instant agentAnswered = clock.instant().plusMillis(300);
        engine.callRecordsFrom(id -> id.equals(a.id()) ? Optional.of(agentAnswered) : Optional.empty());
        clock.advance(RestartRecovery.NOTICE_GRACE.minusSeconds(1));
        engine.tick();
        assertThat(now(a).state()).as("the notice may still come").isEqualTo(AttemptState.TRANSFERRING);
        clock.advance(Duration.ofSeconds(1));
        engine.tick();
        assertThat(now(a).state()).isEqualTo(AttemptState.CONNECTED);
        assertThat(now(a).connectedAt()).as("the time on the call's record").isEqualTo(agentAnswered);
        carrierSays(a, "call.hangup", null, "normal_clearing");
        assertThat(now(a).outcome()).isEqualTo(Outcome.ANSWERED);
    }

    @Test
    void a_hangup_applied_while_the_notice_is_still_queued_is_applied_after_it_so_the_person_is_not_counted_abandoned() {
        Attempt a = claimedPerson();
        Instant answered = clock.instant();
        holding = true;
        service.connected(a.id(), a.id(), answered);
        clock.advance(Duration.ofMillis(800));
        // The person hangs up at once; the webhook reaches the lane before the queued notice (a busy lane in a burst).
        carrierSays(a, "call.hangup", null, "normal_clearing");

        assertThat(now(a).connectedAt()).isEqualTo(answered);
        assertThat(now(a).outcome()).as("reached their agent, then hung up").isNotEqualTo(Outcome.ABANDONED);
        assertThat(now(a).state()).isEqualTo(AttemptState.ENDED);
        holding = false;
        while (!held.isEmpty()) {
            held.poll().run();
        }
        assertThat(now(a).state()).as("the late notice changes nothing").isEqualTo(AttemptState.ENDED);
    }

    @Test
    void a_claimed_transfer_not_answered_on_record_stays_as_it_is_and_its_hangup_counts_as_abandoned() {
        Attempt a = claimedPerson();
        clock.advance(RestartRecovery.NOTICE_GRACE.plusSeconds(5));
        engine.tick();
        assertThat(now(a).state()).isEqualTo(AttemptState.TRANSFERRING);
        carrierSays(a, "call.hangup", null, "normal_clearing");
        assertThat(now(a).outcome()).isEqualTo(Outcome.ABANDONED);
    }

    @Test
    void after_a_restart_a_claimed_transfer_whose_call_was_answered_is_connected_and_keeps_its_agent() {
        Attempt a = claimedPerson();
        Instant agentAnswered = clock.instant().plusMillis(200);
        agents.reservedFor.clear();
        clock.advance(Duration.ofSeconds(2));
        engine.callRecordsFrom(id -> Optional.of(agentAnswered));
        engine.recover();
        assertThat(now(a).state()).isEqualTo(AttemptState.CONNECTED);
        assertThat(now(a).connectedAt()).isEqualTo(agentAnswered);
        assertThat(agents.reservedFor).isEqualTo(Map.of(alice, a.id()));
    }

    @Test
    void a_notice_after_the_record_settled_it_changes_nothing() {
        Attempt a = claimedPerson();
        Instant agentAnswered = clock.instant();
        engine.callRecordsFrom(id -> Optional.of(agentAnswered));
        clock.advance(RestartRecovery.NOTICE_GRACE);
        engine.tick();
        int logged = attempts.eventNames(a.id()).size();
        service.connected(a.id(), a.id(), agentAnswered);
        assertThat(attempts.eventNames(a.id())).hasSize(logged);
        assertThat(now(a).state()).isEqualTo(AttemptState.CONNECTED);
    }
}
