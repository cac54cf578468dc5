package io.callcenter.it;

import io.callcenter.agent.AgentDirectory;
import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Predictive mode on the real system (the Telnyx stand-in, our Asterisk, SIP agent phones): with the campaign's past
 * in the database, the pacer starts warm after the app's start and dials while every agent of the team is still on
 * a call, because its history says one of them is about to be free; the agent who is free by the time the person
 * answers takes them, both hear each other, and nobody is abandoned.
 *
 * <p>The dialer runs on the real clock here: what matters is how long each agent has been on its call, which the
 * agents' presence measures on the system clock, and the test's own settings let it dial at any hour.
 */
class PredictiveIT {

    private static final Duration SOON = Duration.ofSeconds(8);
    private static DialerRig rig;
    private static SipPhone davePhone;
    private final DialerCampaigns dialer = new DialerCampaigns(() -> rig.app());

    @BeforeAll
    static void startSystem() throws Exception {
        rig = DialerRig.start(Map.of());
        davePhone = rig.phones().agent("1003", "127.0.0.4");
        rig.app().awaitAgentState("dave", "AVAILABLE", SOON);
    }

    @AfterAll
    static void stop() throws Exception {
        DialerRig.stop(rig);
    }

    @Test
    void a_dial_placed_while_both_agents_were_on_calls_reaches_the_one_free_when_the_person_answers() throws Exception {
        AgentDirectory directory = rig.app().bean(AgentDirectory.class);
        UUID alice = directory.byExtension("1001").orElseThrow().id();
        UUID dave = directory.byExtension("1003").orElseThrow().id();
        String campaign = dialer.create("{\"name\":\"Predictive\",\"dialRatio\":\"PREDICTIVE\"}");
        StringBuilder csv = new StringBuilder("phone,name\n");
        for (int i = 0; i < 10; i++) {
            csv.append("(212) 555-02").append(10 + i).append(",Lead ").append(i).append('\n');
        }
        dialer.importLeads(campaign, csv.toString());
        seedHistory(UUID.fromString(campaign), alice, dave);

        // Both agents busy with calls of their own, nobody of the team free: a cold pacer would dial nobody.
        UUID aliceCall = UUID.randomUUID();
        UUID daveCall = UUID.randomUUID();
        assertThat(directory.tryReserve(alice, aliceCall)).isTrue();
        assertThat(directory.tryReserve(dave, daveCall)).isTrue();
        List<FakeTelnyx.Dial> dials = new ArrayList<>();
        try {
            rig.app().awaitAgentState("alice", "ON_CALL", SOON);
            rig.app().awaitAgentState("dave", "ON_CALL", SOON);
            dialer.enable(campaign);
            FakeTelnyx.Dial dial = rig.telnyx().awaitDial(SOON);
            dials.add(dial);

            Instant dialled = attempt(dial.attemptId()).get("created_at", OffsetDateTime.class).toInstant();
            Map<UUID, String> states = teamStatesAt(UUID.fromString(campaign), dialled);
            assertThat(states).as("the agents' state log when the dial was placed")
                    .containsEntry(alice, "ON_CALL").containsEntry(dave, "ON_CALL").doesNotContainValue("AVAILABLE");

            // Alice's call ends; then the person answers and must reach her, the one agent free.
            directory.release(alice, aliceCall);
            rig.app().awaitAgentState("alice", "AVAILABLE", SOON);
            rig.telnyx().send(dial, "call.initiated", Map.of("state", "bridging"));
            rig.telnyx().answeredBy(dial, "human_residence");
            rig.telnyx().awaitAction(dial.callControlId(), "transfer", SOON);
            SipCall person = rig.phones().carrier().call("attempt-" + dial.attemptId());
            SipCall atAlice = rig.alicePhone().awaitIncomingCall(SOON);
            atAlice.answer();
            person.awaitAnswered(SOON);
            person.playTone(440);
            atAlice.playTone(1100);
            assertThat(atAlice.awaitHearing(440, SOON)).as("alice hears the person").isTrue();
            assertThat(person.awaitHearing(1100, SOON)).as("the person hears alice").isTrue();
            person.hangup();
            atAlice.awaitEnded(SOON);
            rig.telnyx().send(dial, "call.hangup", Map.of("hangup_cause", "normal_clearing", "hangup_source", "callee"));
            awaitEnded(dial.attemptId());

            Record connected = attempt(dial.attemptId());
            assertThat(connected.get("agent_id", UUID.class)).isEqualTo(alice);
            assertThat(connected.get("connected_at", OffsetDateTime.class)).isNotNull();
            JsonNode report = dialer.get("/api/campaigns/" + campaign + "/compliance");
            assertThat(report.path("period").path("answeredByPerson").asInt()).isEqualTo(1);
            assertThat(report.path("period").path("abandoned").asInt()).as("nobody abandoned").isZero();
        } finally {
            directory.release(alice, aliceCall);
            directory.release(dave, daveCall);
            dialer.switchAllOff();
            // Whatever else the pacer dialled rings out unanswered.
            for (FakeTelnyx.Dial more; (more = rig.telnyx().pollDial(Duration.ofMillis(200))) != null; ) {
                dials.add(more);
            }
            for (FakeTelnyx.Dial d : dials.subList(1, dials.size())) {
                rig.telnyx().send(d, "call.hangup", Map.of("hangup_cause", "timeout", "hangup_source", "callee"));
            }
        }
    }

    /**
     * Three hours ago: 400 dials of the campaign, every tenth a person 10 s after the dial, the others no answer after
     * 25 s; two hours ago: alice and dave each took 30 calls of 3-12 s, free again at once (these tests' wrap-up).
     */
    private static void seedHistory(UUID campaign, UUID alice, UUID dave) {
        DSLContext db = rig.app().bean(DSLContext.class);
        UUID lead = UUID.randomUUID();
        db.execute("insert into lead (id, campaign_id, e164, status, attempts) values (?, ?, '+12125550299', 'DONE', 400)",
                lead, campaign);
        db.execute("""
                insert into dial_attempt (id, campaign_id, lead_id, e164, state, created_at, answered_at, human_at, ended_at)
                select gen_random_uuid(), ?, ?, '+12125550299', 'ENDED', t,
                       case when person then t + interval '8 seconds' end, case when person then t + interval '10 seconds' end,
                       t + case when person then interval '60 seconds' else interval '25 seconds' end
                from (select now() - interval '3 hours' + i * interval '20 seconds' as t, i % 10 = 0 as person
                      from generate_series(1, 400) i) d""", campaign, lead);
        db.execute("""
                insert into dial_attempt_event (attempt_id, occurred_at, from_state, to_state, event)
                select id, created_at, null, 'DIALING', 'dial' from dial_attempt where lead_id = ?
                union all
                select id, human_at, 'ANSWERED', 'HUMAN', 'call.machine.premium.detection.ended' from dial_attempt
                where lead_id = ? and human_at is not null
                union all
                select id, ended_at, 'RINGING', 'ENDED', 'call.hangup' from dial_attempt where lead_id = ? and human_at is null""",
                lead, lead, lead);
        db.execute("""
                insert into agent_state_event (agent_id, state, occurred_at, reason)
                select who.agent_id, s.state, now() - interval '2 hours' + (i * 30 + s.secs) * interval '1 second', 'history'
                from unnest(array[?, ?]::uuid[]) who(agent_id), generate_series(0, 29) i
                cross join lateral (values ('ON_CALL', 0), ('AVAILABLE', 3 + i % 10)) s(state, secs)""", alice, dave);
    }

    private static Record attempt(UUID id) {
        return rig.app().bean(DSLContext.class).fetchSingle("select * from dial_attempt where id = ?", id);
    }

    private static void awaitEnded(UUID id) {
        Instant deadline = Instant.now().plus(SOON);
        while (attempt(id).get("ended_at") == null) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("attempt not ended: " + attempt(id));
            }
            TestApp.sleep(100);
        }
    }

    /** Each agent of the campaign's team with the last state its log shows at {@code at} (none: no row). */
    private static Map<UUID, String> teamStatesAt(UUID campaign, Instant at) {
        Map<UUID, String> states = new java.util.HashMap<>();
        rig.app().bean(DSLContext.class).fetch("""
                        select distinct on (a.id) a.id, e.state from agent a
                        join agent_state_event e on e.agent_id = a.id and e.occurred_at <= cast(? as timestamptz)
                        where a.team_id = (select team_id from campaign where id = ?)
                        order by a.id, e.occurred_at desc, e.id desc""", OffsetDateTime.ofInstant(at, java.time.ZoneOffset.UTC),
                campaign)
                .forEach(r -> states.put(r.get(0, UUID.class), r.get(1, String.class)));
        return states;
    }
}
