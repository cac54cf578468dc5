package io.callcenter.dialer;

import io.callcenter.dialer.DialerFakes.Carrier;
import io.callcenter.dialer.telnyx.TelnyxEvent;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionOperations;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's decisions against in-memory repositories and a recording carrier, with a clock the test moves and
 * executors that run everything in place: a dial, a webhook or a tick is complete when the call returns.
 */
class DialerEngineTest {

    /** 10:00 in New York, inside the calling hours of the leads' area code. */
    private static final Instant T0 = Instant.parse("2026-11-25T15:00:00Z");
    private static final String SAFE_HARBOR = "Sorry we missed you: Psychology, 555 0100";
    private static final String VOICEMAIL = "Hello from Psychology, call 555 0100";

    final DialerFakes.TestClock clock = new DialerFakes.TestClock(T0);
    final DialerFakes.Campaigns campaigns = new DialerFakes.Campaigns();
    final DialerFakes.Leads leads = new DialerFakes.Leads();
    final DialerFakes.Attempts attempts = new DialerFakes.Attempts();
    final DialerFakes.Agents agents = new DialerFakes.Agents();
    final DialerFakes.NotToCall notToCall = new DialerFakes.NotToCall();
    final Carrier carrier = new Carrier();
    final DialerFakes.Inbox inbox = new DialerFakes.Inbox();
    final DialerProperties properties = new DialerProperties(true, null, null, null, null, Duration.ofSeconds(30),
            Duration.ofSeconds(10), null, null, null, null);
    final Transactions transactions = new Transactions();
    final DialerEngine engine = new DialerEngine(campaigns, leads, attempts, agents, notToCall, carrier, true,
            Duration.ofSeconds(25), inbox, transactions, clock, Runnable::run, Runnable::run, properties);
    /** The team's one agent unless a test adds more; available until a test reserves her. */
    final UUID alice = UUID.randomUUID();

    {
        agents.available.add(alice);
    }
    private int events;

    Campaign campaign(DialMode mode, Campaign.VoicemailPolicy policy) {
        // A preset starts its guard at the preset, as CampaignService does.
        Campaign c = new Campaign(UUID.randomUUID(), "c", UUID.randomUUID(), "+15550100", mode,
                mode == DialMode.ADAPTIVE ? 1.5 : mode.fixedRatio(), 0.03,
                CallingHours.DEFAULT, RetryRules.DEFAULT, policy, VOICEMAIL, "premium", SAFE_HARBOR, true, "on", false,
                null, T0, new Campaign.Compliance(T0, 0.01, null));
        campaigns.insert(c);
        return c;
    }

    Campaign campaign() {
        return campaign(DialMode.CONSERVATIVE, Campaign.VoicemailPolicy.HANGUP);
    }

    /** Ticks until a lead is dialled; returns its attempt. */
    Attempt dialOne(Campaign c) {
        int before = carrier.dials.size();
        leads.add(c.id(), "+12125550101", T0);
        engine.tick();
        assertThat(carrier.dials).hasSize(before + 1);
        return attempts.find(carrier.dials.getLast().attemptId()).orElseThrow();
    }

    TelnyxEvent event(Attempt attempt, String type, String result, String cause) {
        String callControlId = now(attempt).callControlId();
        return new TelnyxEvent("e" + (++events), type, clock.instant(), callControlId, attempt.id(), result, cause, "callee");
    }

    void apply(Attempt attempt, String type) {
        engine.apply(event(attempt, type, null, null));
    }

    void apply(Attempt attempt, String type, String result, String cause) {
        engine.apply(event(attempt, type, result, cause));
    }

    Attempt now(Attempt attempt) {
        return attempts.find(attempt.id()).orElseThrow();
    }

    Attempt humanAnswers(Campaign c) {
        Attempt a = dialOne(c);
        apply(a, "call.answered");
        apply(a, "call.machine.premium.detection.ended", "human_residence", null);
        return now(a);
    }

    /** A second agent, and two people dialled: {first, second}. */
    Attempt[] twoDialled() {
        Campaign c = campaign();
        agents.available.add(UUID.randomUUID());
        Attempt first = dialOne(c);
        leads.add(c.id(), "+12125550199", clock.instant());
        engine.tick();
        return new Attempt[]{first, attempts.find(carrier.dials.getLast().attemptId()).orElseThrow()};
    }

    /** The process dies (agents' reservations live in memory) and comes back this much later. */
    void restartAfter(Duration downtime) {
        agents.reservedFor.clear();
        clock.advance(downtime);
        engine.recover();
    }

    // ------------------------------------------------------------------ pacing, connecting, abandoning

    @Test
    void a_tick_dials_ratio_times_the_available_agents_and_no_more_while_they_are_in_flight() {
        agents.available.add(UUID.randomUUID());
        Campaign c = campaign();
        for (int i = 0; i < 5; i++) {
            leads.add(c.id(), "+1212555010" + i, T0.plusSeconds(i));
        }
        engine.tick();
        assertThat(carrier.dials).as("1.5 x 2 agents").hasSize(3);
        assertThat(carrier.dials).extracting(CallControl.Dial::from).containsOnly("+15550100");
        engine.tick();
        assertThat(carrier.dials).as("three still in flight").hasSize(3);
        assertThat(leads.byId.values()).filteredOn(l -> l.status().equals("DIALING")).hasSize(3);
    }

    @Test
    void admission_control_lets_the_dialer_place_only_the_calls_there_is_room_for() {
        // Room for two calls on the platform, none live: pacing wants three, two are placed, then none while in flight.
        io.callcenter.call.admission.Admission door = new io.callcenter.call.admission.Admission(
                new io.callcenter.call.admission.AdmissionDecision.Limits(2, 0, 0, 0, Duration.ZERO,
                        Duration.ofSeconds(10), Duration.ofSeconds(5)),
                () -> new io.callcenter.call.admission.AdmissionDecision.Signals(0, 0, 0, 0, Duration.ZERO), clock,
                (entry, reason) -> { });
        engine.admitWith(door::dialsAllowed);
        agents.available.add(UUID.randomUUID());
        Campaign c = campaign();
        for (int i = 0; i < 5; i++) {
            leads.add(c.id(), "+1212555010" + i, T0.plusSeconds(i));
        }
        engine.tick();
        assertThat(carrier.dials).as("1.5 x 2 agents wanted, room for 2").hasSize(2);
        engine.tick();
        assertThat(carrier.dials).as("the two in flight fill the room").hasSize(2);
    }

    @Test
    void a_human_gets_an_available_agent_reserved_and_is_transferred() {
        Attempt a = humanAnswers(campaign());
        assertThat(a.state()).isEqualTo(AttemptState.TRANSFERRING);
        assertThat(agents.reservedFor).containsEntry(alice, a.id());
        assertThat(carrier.names(a.id())).containsExactly("transfer");
    }

    @Test
    void no_agent_within_two_seconds_abandons_the_person_to_the_safe_harbor_message() {
        Campaign c = campaign();
        Attempt a = dialOne(c);
        agents.reservedFor.put(alice, UUID.randomUUID());
        apply(a, "call.answered");
        apply(a, "call.machine.premium.detection.ended", "human_business", null);
        // The 2 s run from the end of the greeting, which detection heard 800 ms (its silence) before its verdict.
        clock.advance(Duration.ofMillis(1100));
        engine.matchWaitingHumans();
        assertThat(now(a).state()).as("still within 2 s of the greeting's end").isEqualTo(AttemptState.HUMAN);
        clock.advance(Duration.ofMillis(100));
        engine.matchWaitingHumans();
        assertThat(now(a).state()).isEqualTo(AttemptState.SAFE_HARBOR);
        assertThat(now(a).outcome()).isEqualTo(Outcome.ABANDONED);
        assertThat(carrier.commands).extracting(Carrier.Command::text).containsExactly(SAFE_HARBOR);
        apply(a, "call.speak.ended", "completed", null);
        apply(a, "call.hangup", null, "normal_clearing");
        assertThat(carrier.names(a.id())).containsExactly("speak", "hangup");
        assertThat(leads.get(a.leadId()).lastOutcome()).isEqualTo(Outcome.ABANDONED);
        assertThat(leads.get(a.leadId()).nextAttemptAt()).as("72 h later").isEqualTo(clock.instant().plus(Duration.ofHours(72)));
    }

    @Test
    void a_machine_is_hung_up_on_and_the_lead_retried_as_voicemail() {
        Attempt a = dialOne(campaign());
        apply(a, "call.answered");
        apply(a, "call.machine.premium.detection.ended", "machine", null);
        assertThat(carrier.names(a.id())).containsExactly("hangup");
        apply(a, "call.hangup", null, "normal_clearing");
        assertThat(now(a).outcome()).isEqualTo(Outcome.VOICEMAIL);
        assertThat(leads.get(a.leadId()).status()).isEqualTo("RETRY");
        assertThat(agents.reservedFor).as("a machine never reaches an agent").isEmpty();
    }

    @Test
    void duplicated_and_late_webhooks_change_nothing_twice() {
        Attempt a = dialOne(campaign());
        TelnyxEvent human = event(a, "call.machine.premium.detection.ended", "human_residence", null);
        engine.apply(event(a, "call.answered", null, null));
        engine.apply(human);
        engine.apply(human);
        engine.apply(new TelnyxEvent("late", "call.initiated", T0, "v3:call-1", a.id(), null, null, null));
        assertThat(carrier.names(a.id())).as("one transfer").containsExactly("transfer");
        assertThat(now(a).state()).isEqualTo(AttemptState.TRANSFERRING);
        assertThat(attempts.events(a.id())).filteredOn(e -> e.detail() != null && e.detail().startsWith("ignored")).hasSize(2);
        assertThat(inbox.applied).as("every delivery marked applied").hasSize(4);
    }

    @Test
    void switching_a_campaign_off_mid_dial_lets_calls_finish_and_starts_none() {
        Campaign c = campaign();
        for (int i = 0; i < 4; i++) {
            leads.add(c.id(), "+1212555011" + i, T0.plusSeconds(i));
        }
        engine.tick();
        assertThat(carrier.dials).hasSize(2);
        campaigns.setSwitch(c.id(), "enabled", false, "list needs review", null, clock.instant());
        for (CallControl.Dial dial : carrier.dials) {
            Attempt a = attempts.find(dial.attemptId()).orElseThrow();
            engine.apply(new TelnyxEvent("h" + dial.attemptId(), "call.hangup", clock.instant(), null, a.id(), null, "timeout", null));
        }
        engine.tick();
        assertThat(carrier.dials).hasSize(2);
        assertThat(attempts.allOpen()).isEmpty();
        assertThat(leads.byId.values()).filteredOn(l -> l.status().equals("NEW")).hasSize(2);
    }

    // ------------------------------------------------------------------ the carrier's refusals

    @Test
    void an_account_fault_pauses_the_campaign_and_leaves_the_lead_as_it_was() {
        Campaign c = campaign();
        Lead lead = leads.add(c.id(), "+12125550101", T0);
        carrier.refuseDials = new CallControl.Refused(401, CallControl.Fault.ACCOUNT, null, "401 authentication failed");
        engine.tick();
        assertThat(campaigns.find(c.id()).orElseThrow().paused()).isTrue();
        assertThat(campaigns.find(c.id()).orElseThrow().pausedReason()).contains("401 authentication failed");
        assertThat(leads.get(lead.id())).as("no attempt counted").isEqualTo(lead);
        assertThat(attempts.byId).as("no dial recorded").isEmpty();
        carrier.refuseDials = null;
        engine.tick();
        assertThat(carrier.dials).as("agents working do not lift the carrier's pause").isEmpty();
    }

    @Test
    void only_a_fault_of_the_number_closes_the_lead() {
        Campaign c = campaign();
        Lead lead = leads.add(c.id(), "+12125550101", T0);
        carrier.refuseDials = new CallControl.Refused(422, CallControl.Fault.NUMBER, null, "invalid phone number");
        engine.tick();
        assertThat(leads.get(lead.id()).lastOutcome()).isEqualTo(Outcome.DISCONNECTED);
        assertThat(leads.get(lead.id()).status()).isEqualTo("DONE");
        assertThat(campaigns.find(c.id()).orElseThrow().paused()).isFalse();
    }

    @Test
    void a_rate_limit_costs_no_attempt_and_holds_new_dials_until_its_reset() {
        Campaign c = campaign();
        Lead lead = leads.add(c.id(), "+12125550101", T0);
        carrier.refuseDials = new CallControl.Refused(429, CallControl.Fault.RATE_LIMITED, T0.plusSeconds(30), "429");
        engine.tick();
        assertThat(leads.get(lead.id())).isEqualTo(lead);
        carrier.refuseDials = null;
        clock.advance(Duration.ofSeconds(29));
        engine.tick();
        assertThat(carrier.dials).as("held until the reset").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        engine.tick();
        assertThat(carrier.dials).hasSize(1);
        assertThat(leads.get(lead.id()).attempts()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ what the carrier may never send

    @Test
    void a_transfer_that_never_arrives_frees_the_agent_and_plays_the_safe_harbor_message() {
        Attempt a = humanAnswers(campaign());
        clock.advance(Duration.ofSeconds(9));
        engine.tick();
        assertThat(now(a).state()).isEqualTo(AttemptState.TRANSFERRING);
        clock.advance(Duration.ofSeconds(1));
        engine.tick();
        assertThat(now(a).state()).isEqualTo(AttemptState.SAFE_HARBOR);
        assertThat(now(a).outcome()).isEqualTo(Outcome.ABANDONED);
        assertThat(agents.reservedFor).isEmpty();
        assertThat(carrier.names(a.id())).containsExactly("transfer", "speak");
    }

    @Test
    void a_failed_transfer_shows_as_the_new_legs_hangup() {
        Attempt a = humanAnswers(campaign());
        engine.apply(new TelnyxEvent("leg2", "call.hangup", clock.instant(), "v3:new-leg", a.id(), null, "not_found", "callee"));
        assertThat(now(a).state()).isEqualTo(AttemptState.SAFE_HARBOR);
        assertThat(agents.reservedFor).isEmpty();
        assertThat(carrier.commands.getLast().callControlId()).as("spoken to the person's leg").isEqualTo("v3:call-1");
    }

    @Test
    void a_person_the_call_module_took_over_is_not_abandoned_by_the_watchdog() {
        Attempt a = humanAnswers(campaign());
        DialerService service = new DialerService(engine, attempts, leads, notToCall, clock);
        assertThat(service.claim(a.id())).hasValueSatisfying(h -> assertThat(h.agentId()).isEqualTo(alice));
        clock.advance(Duration.ofSeconds(30));
        engine.tick();
        assertThat(now(a).state()).isEqualTo(AttemptState.TRANSFERRING);
        assertThat(now(a).claimedAt()).isEqualTo(T0);
        service.connected(a.id(), a.id(), clock.instant());
        assertThat(now(a).state()).isEqualTo(AttemptState.CONNECTED);
    }

    @Test
    void a_machine_whose_greeting_end_never_comes_gets_the_message_after_the_timeout() {
        Attempt a = dialOne(campaign(DialMode.CONSERVATIVE, Campaign.VoicemailPolicy.LEAVE_MESSAGE));
        apply(a, "call.answered");
        apply(a, "call.machine.premium.detection.ended", "machine", null);
        clock.advance(Duration.ofSeconds(29));
        engine.tick();
        assertThat(now(a).state()).isEqualTo(AttemptState.MACHINE);
        clock.advance(Duration.ofSeconds(1));
        engine.tick();
        assertThat(now(a).state()).isEqualTo(AttemptState.LEAVING_MESSAGE);
        assertThat(carrier.commands).extracting(Carrier.Command::text).containsExactly(VOICEMAIL);
    }

    @Test
    void a_safe_harbor_message_not_heard_is_read_once_more_then_the_call_is_hung_up_as_failed() {
        Attempt a = dialOne(campaign());
        agents.reservedFor.put(alice, UUID.randomUUID());
        apply(a, "call.answered");
        apply(a, "call.machine.premium.detection.ended", "human_residence", null);
        clock.advance(Duration.ofSeconds(2));
        engine.matchWaitingHumans();
        apply(a, "call.speak.ended", "call_hangup", null);
        assertThat(now(a).state()).as("the person hung up: their hangup ends it").isEqualTo(AttemptState.SAFE_HARBOR);
        assertThat(carrier.names(a.id())).containsExactly("speak");
        carrier.refuseSpeak = new CallControl.Refused(422, CallControl.Fault.ACCOUNT, null, "call not answered");
        apply(a, "call.speak.ended", "cancelled_amd", null);
        assertThat(carrier.names(a.id())).as("read once more, refused, then hung up").containsExactly("speak", "speak", "hangup");
        assertThat(now(a).detail()).startsWith(AttemptMachine.SAFE_HARBOR_FAILED);
        assertThat(now(a).outcome()).isEqualTo(Outcome.ABANDONED);
    }

    // ------------------------------------------------------------------ the call module's side

    @Test
    void an_opt_out_lists_the_number_and_closes_the_lead_while_the_attempt_stays_abandoned() {
        Attempt a = humanAnswers(campaign());
        DialerService service = new DialerService(engine, attempts, leads, notToCall, clock);
        service.abandoned(a.id(), clock.instant(), "agent phone failed");
        service.optedOut(a.id(), clock.instant());
        assertThat(notToCall.numbers).containsExactly("+12125550101");
        apply(a, "call.hangup", null, "normal_clearing");
        assertThat(now(a).outcome()).isEqualTo(Outcome.ABANDONED);
        assertThat(leads.get(a.leadId()).lastOutcome()).isEqualTo(Outcome.DO_NOT_CALL);
        assertThat(leads.get(a.leadId()).status()).isEqualTo("DONE");
        assertThat(attempts.eventNames(a.id())).contains("opted out");
    }

    @Test
    void after_a_restart_a_transfer_older_than_the_carriers_memory_is_not_sent_again() {
        Attempt a = humanAnswers(campaign());
        restartAfter(Duration.ofSeconds(61));
        assertThat(carrier.names(a.id())).as("one transfer only").containsExactly("transfer", "speak");
        assertThat(carrier.commands).extracting(Carrier.Command::name).contains("alive?");
        assertThat(now(a).state()).as("the person is still on the call").isEqualTo(AttemptState.SAFE_HARBOR);
        // The next campaign dials the same number, which is never rung by two campaigns at once: this call ends first.
        apply(a, "call.hangup", null, "normal_clearing");

        Attempt gone = humanAnswers(campaign());
        carrier.alive = java.util.Optional.of(false);
        restartAfter(Duration.ofSeconds(61));
        assertThat(now(gone).state()).isEqualTo(AttemptState.ENDED);
        assertThat(carrier.names(gone.id())).containsExactly("transfer");
    }

    @Test
    void after_a_short_restart_the_transfer_is_sent_again_for_the_carrier_to_recognise() {
        Attempt a = humanAnswers(campaign());
        restartAfter(Duration.ofSeconds(5));
        assertThat(carrier.names(a.id())).containsExactly("transfer", "transfer");
        assertThat(agents.reservedFor).isEqualTo(Map.of(alice, a.id()));
    }

    @Test
    void a_claim_the_dialer_lane_cannot_answer_in_time_counts_as_unclaimed_and_is_undone_when_the_lane_is_free() {
        Attempt a = humanAnswers(campaign());
        java.util.Queue<Runnable> busyLane = new java.util.ArrayDeque<>();
        DialerEngine stuck = new DialerEngine(campaigns, leads, attempts, agents, notToCall, carrier, true,
                Duration.ofSeconds(25), inbox, TransactionOperations.withoutTransaction(), clock, busyLane::add,
                Runnable::run, properties);
        DialerService service = new DialerService(stuck, attempts, leads, notToCall, clock);
        assertThat(service.claim(a.id())).as("not answered within DialledLeads.ANSWER_WITHIN").isEmpty();
        assertThat(agents.reservedFor).as("still reserved while the lane is busy").containsKey(alice);
        while (!busyLane.isEmpty()) {
            busyLane.poll().run();
        }
        assertThat(now(a).state()).isEqualTo(AttemptState.HANGING_UP);
        assertThat(now(a).outcome()).isEqualTo(Outcome.ABANDONED);
        assertThat(agents.reservedFor).as("the agent is freed").isEmpty();
    }

    // ------------------------------------------------------------------ progressive: one held agent per dial

    @Test
    void progressive_dials_once_per_free_agent_holding_each_agent_before_the_dial() {
        UUID bob = UUID.randomUUID();
        agents.available.add(bob);
        Campaign c = campaign(DialMode.PROGRESSIVE, Campaign.VoicemailPolicy.HANGUP);
        for (int i = 0; i < 5; i++) {
            leads.add(c.id(), "+1212555010" + i, T0.plusSeconds(i));
        }
        engine.tick();
        assertThat(carrier.dials).as("ratio 1.0 x 2 free agents").hasSize(2);
        assertThat(agents.reservedFor).as("each dial holds its agent while it rings")
                .containsOnlyKeys(alice, bob)
                .containsValues(carrier.dials.get(0).attemptId(), carrier.dials.get(1).attemptId());
        engine.tick();
        assertThat(carrier.dials).as("no free agent, no dial").hasSize(2);
        UUID carol = UUID.randomUUID();
        agents.available.add(carol);
        engine.tick();
        assertThat(carrier.dials).as("one more agent free: exactly one more dial").hasSize(3);
        assertThat(agents.reservedFor).containsEntry(carol, carrier.dials.get(2).attemptId());
    }

    @Test
    void a_person_answering_a_progressive_dial_always_has_the_held_agent_and_is_never_abandoned() {
        Campaign c = campaign(DialMode.PROGRESSIVE, Campaign.VoicemailPolicy.HANGUP);
        Attempt a = dialOne(c);
        assertThat(agents.available(c.teamId())).as("alice is held, not offered to anyone else").isEmpty();
        apply(a, "call.answered");
        apply(a, "call.machine.premium.detection.ended", "human_residence", null);
        assertThat(now(a).state()).isEqualTo(AttemptState.TRANSFERRING);
        assertThat(now(a).agentId()).isEqualTo(alice);
        assertThat(carrier.names(a.id())).containsExactly("transfer");
        assertThat(attempts.events(a.id())).filteredOn(e -> e.event().equals("dial"))
                .singleElement().satisfies(e -> assertThat(e.detail()).contains("agent " + alice + " held"));
    }

    @Test
    void a_progressive_dial_nobody_answers_frees_its_agent_for_the_next_dial() {
        Campaign c = campaign(DialMode.PROGRESSIVE, Campaign.VoicemailPolicy.HANGUP);
        leads.add(c.id(), "+12125550102", T0.plusSeconds(1));
        Attempt a = dialOne(c);
        assertThat(agents.reservedFor).containsEntry(alice, a.id());
        engine.apply(new TelnyxEvent("h1", "call.hangup", clock.instant(), null, a.id(), null, "timeout", null));
        assertThat(now(a).outcome()).isEqualTo(Outcome.NO_ANSWER);
        assertThat(agents.reservedFor).as("released when the attempt ended").isEmpty();
        engine.tick();
        assertThat(carrier.dials).as("the freed agent's next lead").hasSize(2);
        assertThat(agents.reservedFor).containsEntry(alice, carrier.dials.getLast().attemptId());
    }

    @Test
    void progressive_mode_needs_no_confirmation_and_never_dials_above_one_per_agent() {
        assertThat(EnableWarning.needsConfirmation(DialMode.PROGRESSIVE)).isFalse();
        assertThat(DialMode.fromCode("PROGRESSIVE").fixedRatio()).isEqualTo(1.0);
        assertThat(Pacer.adapt(1.0, new Pacer.Measurement(100, 0, 50, 0, 0.9), 0.03))
                .as("the guard may want more").isGreaterThan(1.0);
        PacingController controller = new PacingController(Duration.ofSeconds(15));
        Campaign c = campaign(DialMode.PROGRESSIVE, Campaign.VoicemailPolicy.HANGUP);
        PacingController.Plan plan = null;
        for (int s = 0; s <= 15; s++) {
            plan = controller.plan(c, 4, 4, 0, 1, PacingController.Counts.NONE, T0.plusSeconds(s));
        }
        assertThat(plan.ratio()).as("capped at the mode's 1.0").isEqualTo(1.0);
        assertThat(plan.dialsToStart()).as("4 free agents (one held by the dial in flight) less that dial").isEqualTo(3);
    }

    @Test
    void a_lead_whose_outcome_reached_its_maximum_closes_with_the_reason() {
        Campaign c = new Campaign(UUID.randomUUID(), "c", UUID.randomUUID(), "+15550100", DialMode.CONSERVATIVE, 1.5, 0.03,
                CallingHours.DEFAULT, new RetryRules(5, Duration.ZERO, Map.of(Outcome.NO_ANSWER, Duration.ofMinutes(30)),
                Map.of(Outcome.NO_ANSWER, 2)), Campaign.VoicemailPolicy.HANGUP, VOICEMAIL, "premium", SAFE_HARBOR, true, "on",
                false, null, T0, new Campaign.Compliance(T0, 0.01, null));
        campaigns.insert(c);
        Attempt first = dialOne(c);
        engine.apply(new TelnyxEvent("n1", "call.hangup", clock.instant(), null, first.id(), null, "timeout", null));
        assertThat(leads.get(first.leadId()).status()).isEqualTo("RETRY");
        assertThat(leads.closedReasons.get(first.leadId())).isNull();
        clock.advance(Duration.ofMinutes(30));
        engine.tick();
        Attempt second = attempts.find(carrier.dials.getLast().attemptId()).orElseThrow();
        assertThat(second.leadId()).isEqualTo(first.leadId());
        engine.apply(new TelnyxEvent("n2", "call.hangup", clock.instant(), null, second.id(), null, "timeout", null));
        assertThat(leads.get(first.leadId()).status()).isEqualTo("DONE");
        assertThat(leads.closedReasons.get(first.leadId())).isEqualTo("NO_ANSWER: 2 of at most 2 attempts for NO_ANSWER");
    }

    @Test
    void ticks_asked_for_while_one_is_queued_are_covered_by_it_and_a_change_after_it_starts_queues_another() {
        java.util.ArrayDeque<Runnable> queued = new java.util.ArrayDeque<>();
        DialerEngine queuing = new DialerEngine(campaigns, leads, attempts, agents, notToCall, carrier, true,
                Duration.ofSeconds(25), inbox, transactions, clock, queued::add, Runnable::run, properties);
        Campaign c = campaign();
        leads.add(c.id(), "+12125550101", T0);

        for (int i = 0; i < 200; i++) {
            queuing.tickSoon();  // progressive mode's holds: an agent's state change each
        }
        assertThat(queued).as("one tick queued for all of them").hasSize(1);
        queued.poll().run();
        while (!queued.isEmpty()) {
            queued.poll().run();  // the dial's result, handed back to the lane
        }
        assertThat(carrier.dials).as("the queued tick did the work").hasSize(1);

        queuing.tickSoon();
        assertThat(queued).as("a change after the tick started gets a tick of its own").hasSize(1);
    }

    @Test
    void an_agents_tick_does_not_scan_for_overdue_attempts_unless_a_timers_tick_is_asked_for_while_it_is_queued() {
        java.util.ArrayDeque<Runnable> queued = new java.util.ArrayDeque<>();
        DialerEngine queuing = new DialerEngine(campaigns, leads, attempts, agents, notToCall, carrier, true,
                Duration.ofSeconds(25), inbox, transactions, clock, queued::add, Runnable::run, properties);
        Attempt silent = dialOne(campaign());
        clock.advance(Duration.ofSeconds(25 + 90 + 1));  // past the carrier's silence

        queuing.tickForAgents();
        while (!queued.isEmpty()) {
            queued.poll().run();
        }
        assertThat(now(silent).state()).as("an agent's change: no scan of the open attempts").isEqualTo(silent.state());

        queuing.tickForAgents();
        queuing.tickSoon();  // the timer's, while the agent's is queued
        queuing.tickForAgents();
        assertThat(queued).as("one tick for the three").hasSize(1);
        while (!queued.isEmpty()) {
            queued.poll().run();
        }
        assertThat(now(silent).state()).as("the timer's tick scanned").isEqualTo(AttemptState.ENDED);
    }

    /** No real transaction; counts the outermost ones and runs {@code onCommit} as each would commit. */
    static final class Transactions implements TransactionOperations {
        int depth;
        int commits;
        Runnable onCommit = () -> {
        };
        /** What PostgreSQL would undo when the outermost transaction fails (these fakes store as they go). */
        Runnable onRollback = () -> {
        };

        @Override
        public <T> T execute(org.springframework.transaction.support.TransactionCallback<T> action) {
            depth++;
            try {
                T result = action.doInTransaction(new org.springframework.transaction.support.SimpleTransactionStatus());
                if (depth == 1) {
                    commits++;
                    onCommit.run();
                }
                return result;
            } catch (RuntimeException e) {
                if (depth == 1) {
                    onRollback.run();
                }
                throw e;
            } finally {
                depth--;
            }
        }
    }
}
