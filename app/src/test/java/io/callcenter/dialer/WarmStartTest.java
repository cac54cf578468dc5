package io.callcenter.dialer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Predictive pacing's warm start: a campaign the pacer meets for the first time (after a restart, or switched on)
 * learns from its past dials and its team's state log, read once through the port, instead of dialling like
 * progressive until it has seen 20 handles and 60 dials. Fake clock, fake history.
 */
class WarmStartTest {

    private static final Instant T0 = Instant.parse("2026-11-27T15:00:00Z");
    private static final UUID TEAM = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private final UUID alice = new UUID(0, 1);
    private final UUID bob = new UUID(0, 2);
    private final DialerFakes.TestClock clock = new DialerFakes.TestClock(T0);
    private final PacingController controller = new PacingController(Duration.ofSeconds(15));
    private final History history = new History();

    /** The past as the database gives it: oldest first, and what each read asked for. */
    private static final class History implements PacingHistory {
        final List<PastDial> dials = new ArrayList<>();
        final List<HandleTimes.AgentNow> changes = new ArrayList<>();
        final List<String> reads = new ArrayList<>();

        @Override
        public List<PastDial> dials(UUID campaignId, Instant since, int limit) {
            reads.add("dials " + campaignId + " since " + since + " limit " + limit);
            return dials;
        }

        @Override
        public List<HandleTimes.AgentNow> stateChanges(UUID teamId, Instant since, int perAgent) {
            reads.add("states " + teamId + " since " + since + " per agent " + perAgent);
            return changes;
        }
    }

    private static Campaign campaign(DialMode mode) {
        return new Campaign(UUID.fromString("00000000-0000-0000-0000-000000000001"), "c", TEAM, "+15550100", mode, 1.5,
                0.03, CallingHours.DEFAULT, RetryRules.DEFAULT, Campaign.VoicemailPolicy.HANGUP, null, "premium",
                "Psychology, 555 0100", true, "on", false, "agents", T0, new Campaign.Compliance(T0, 0.0, null));
    }

    /**
     * Yesterday: alice and bob each took 30 calls of 20 s without wrap-up; of 100 dials every tenth brought a person
     * 12 s after the dial, the others ended after 25 s.
     */
    private void yesterday() {
        Instant t = T0.minus(Duration.ofDays(1));
        for (int call = 0; call < 30; call++) {
            for (UUID agent : List.of(alice, bob)) {
                history.changes.add(new HandleTimes.AgentNow(agent, HandleTimes.Busy.ON_CALL, t));
                history.changes.add(new HandleTimes.AgentNow(agent, HandleTimes.Busy.FREE, t.plusSeconds(20)));
            }
            t = t.plusSeconds(30);
        }
        for (int dial = 0; dial < 100; dial++) {
            boolean person = dial % 10 == 0;
            history.dials.add(new PacingHistory.PastDial(t, t.plusSeconds(person ? 12 : 25), person));
            t = t.plusSeconds(30);
        }
    }

    /** Now: alice and bob both 15 s into a call, nobody free, nothing in flight. */
    private PredictivePacer.Team bothOnCalls() {
        Instant since = clock.instant().minusSeconds(15);
        return new PredictivePacer.Team(0, 0, 0, List.of(new HandleTimes.AgentNow(alice, HandleTimes.Busy.ON_CALL, since),
                new HandleTimes.AgentNow(bob, HandleTimes.Busy.ON_CALL, since)), List.of());
    }

    private PredictivePacer.Forecast forecast(Campaign campaign) {
        controller.warm(campaign, history, clock.instant());
        return controller.forecast(campaign, bothOnCalls(), campaign.ratio(), PacingController.Counts.NONE, clock.instant());
    }

    @Test
    void a_campaign_met_after_a_restart_dials_ahead_of_agents_on_calls_from_its_history() {
        yesterday();
        PredictivePacer.Forecast f = forecast(campaign(DialMode.PREDICTIVE));
        assertThat(f.predicting()).as("20 handles and 60 dials learnt from the past").isTrue();
        // Every past call ended 20 s in, so both agents 15 s in are free before the fastest person (12 s) arrives.
        assertThat(f.expectedFree()).isEqualTo(2.0);
        assertThat(f.dialsToStart()).as("a dial while nobody is free").isEqualTo(1);
    }

    @Test
    void without_a_past_the_same_moment_dials_nobody() {
        PredictivePacer.Forecast f = forecast(campaign(DialMode.PREDICTIVE));
        assertThat(f.predicting()).isFalse();
        assertThat(f.dialsToStart()).as("cold: one dial per free agent, and none is free").isZero();
    }

    @Test
    void the_past_is_read_once_per_campaign_over_the_last_week_and_again_once_forgotten() {
        yesterday();
        Campaign predictive = campaign(DialMode.PREDICTIVE);
        for (int tick = 0; tick < 5; tick++) {
            forecast(predictive);
            clock.advance(Duration.ofSeconds(1));
        }
        String since = T0.minus(Duration.ofDays(7)).toString();
        assertThat(history.reads).containsExactly(
                "states " + TEAM + " since " + since + " per agent " + PacingHistory.STATE_CHANGES_PER_AGENT,
                "dials " + predictive.id() + " since " + since + " limit " + DialYield.WINDOW);
        controller.forget(predictive.id());
        forecast(predictive);
        assertThat(history.reads).hasSize(4).last().asString().contains("since " + T0.plusSeconds(5).minus(Duration.ofDays(7)));
    }

    @Test
    void a_campaign_of_another_mode_never_reads_the_past() {
        yesterday();
        controller.warm(campaign(DialMode.ADAPTIVE), history, clock.instant());
        controller.warm(campaign(DialMode.PROGRESSIVE), history, clock.instant());
        assertThat(history.reads).isEmpty();
    }

    @Test
    void the_state_log_teaches_handles_but_its_last_state_is_not_taken_for_the_live_one() {
        HandleTimes handles = new HandleTimes();
        Instant t = T0.minusSeconds(600);
        handles.replay(List.of(new HandleTimes.AgentNow(alice, HandleTimes.Busy.ON_CALL, t),
                new HandleTimes.AgentNow(alice, HandleTimes.Busy.WRAP_UP, t.plusSeconds(100)),
                new HandleTimes.AgentNow(alice, HandleTimes.Busy.FREE, t.plusSeconds(140)),
                new HandleTimes.AgentNow(bob, HandleTimes.Busy.ON_CALL, t.plusSeconds(10)),
                new HandleTimes.AgentNow(bob, HandleTimes.Busy.FREE, t.plusSeconds(70)),
                new HandleTimes.AgentNow(alice, HandleTimes.Busy.ON_CALL, t.plusSeconds(300))));
        assertThat(handles.samples()).as("alice's call with its wrap-up, bob's without").isEqualTo(2);
        assertThat(handles.freeWithin(HandleTimes.Busy.WRAP_UP, 30, 20)).as("alice's 40 s wrap-up").isEqualTo(1.0);
        // Live, alice is free: the log's last call (still open there) must not become a 300 s handle.
        handles.observe(List.of(new HandleTimes.AgentNow(alice, HandleTimes.Busy.FREE, T0)), T0);
        assertThat(handles.samples()).isEqualTo(2);
    }

    @Test
    void past_dials_keep_only_the_newest_window() {
        DialYield yield = new DialYield();
        for (int i = 0; i < DialYield.WINDOW + 100; i++) {
            // The oldest hundred all brought people; the window's newest none.
            yield.learn(i < 100 ? 10 : 25, i < 100);
        }
        assertThat(yield.dials()).isEqualTo(DialYield.WINDOW);
        assertThat(yield.perDial()).isZero();
    }
}
