package io.callcenter.it;

import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL away for 30 s in the middle of two live calls while a third arrives: the two keep their audio, one
 * of them ends during the outage; the third, to a number routed before, reaches the agent still free (routing data
 * read through to its last known copy) and a fourth, to a number never routed, hears a message; once the database
 * is back every record is complete with its transitions in order and no agent stays reserved.
 */
class DatabaseOutageIT {

    private static final Duration SIGNAL = Duration.ofSeconds(10);
    private static final Duration AUDIO = Duration.ofSeconds(5);
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    /** Psychology's sister team, whose number nobody calls before the outage: nothing known to route it by. */
    private static final String SALES_DID = "+15550200";

    private final TestPhones phones = new TestPhones();
    private PostgresOutage postgres;
    private TestApp app;

    @AfterEach
    void cleanUp() {
        phones.close();
        if (app != null) {
            app.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void calls_keep_their_audio_and_their_records_through_a_30_second_database_outage() {
        postgres = new PostgresOutage(TestDatabase.get().newDatabase());
        app = TestApp.start(postgres.url(), TestAsterisk.get(), Map.of());
        String admin = app.token("admin");
        app.token("alice");
        app.token("bob");
        app.token("dave");
        CallRecords records = new CallRecords(app);
        SipPhone carrier = phones.carrier();

        SipPhone alice = phones.agent("1001", "127.0.0.3");
        app.awaitAgentState("alice", "AVAILABLE", SIGNAL);
        SipCall first = carrier.call(TestApp.DEMO_DID);
        SipCall firstAtAlice = alice.awaitIncomingCall(SIGNAL);
        firstAtAlice.answer();
        first.awaitAnswered(SIGNAL);
        String firstId = records.awaitLatest(c -> "TALKING".equals(c.path("state").asString()), SIGNAL, "first TALKING")
                .path("id").asString();

        SipPhone bob = phones.agent("1002", "127.0.0.4");
        app.awaitAgentState("bob", "AVAILABLE", SIGNAL);
        SipCall second = carrier.call(TestApp.DEMO_DID);
        SipCall secondAtBob = bob.awaitIncomingCall(SIGNAL);
        secondAtBob.answer();
        second.awaitAnswered(SIGNAL);
        String secondId = records.awaitLatest(c -> "TALKING".equals(c.path("state").asString())
                && !c.path("id").asString().equals(firstId), SIGNAL, "second TALKING").path("id").asString();

        first.playTone(440.0);
        firstAtAlice.playTone(1100.0);
        second.playTone(520.0);
        secondAtBob.playTone(1300.0);
        assertTwoWay(first, firstAtAlice, 440.0, 1100.0, "first call before the outage");
        assertTwoWay(second, secondAtBob, 520.0, 1300.0, "second call before the outage");

        Instant down = Instant.now();
        postgres.stop();

        // dave's desk phone comes online only now, so the two calls before could not have gone to him.
        SipPhone dave = phones.agent("1003", "127.0.0.5");
        // A third caller to the number the two calls came in on: routed from what is known, to the agent free.
        SipCall third = carrier.call(TestApp.DEMO_DID);
        SipCall thirdAtDave = dave.awaitIncomingCall(SIGNAL);
        System.out.println("DatabaseOutageIT: third caller's agent rang "
                + Duration.between(down, Instant.now()).toMillis() + " ms after the outage began");
        thirdAtDave.answer();
        third.awaitAnswered(SIGNAL);
        third.playTone(600.0);
        thirdAtDave.playTone(1500.0);
        assertTwoWay(third, thirdAtDave, 600.0, 1500.0, "third call, routed during the outage");

        // A fourth caller to a number never routed: nothing known, they hear why instead of a dead line.
        Instant fourthDialled = Instant.now();
        SipCall fourth = carrier.call(SALES_DID);
        fourth.awaitAnswered(SIGNAL);
        System.out.println("DatabaseOutageIT: fourth caller answered with the message "
                + Duration.between(fourthDialled, fourth.answeredAt()).toMillis() + " ms after dialling");
        fourth.awaitEnded(Duration.ofSeconds(15));

        assertTwoWay(first, firstAtAlice, 440.0, 1100.0, "first call during the outage");
        // The first call ends while the database is away: its transitions wait in memory.
        callerHangsUp(first, firstAtAlice, "first");
        assertTwoWay(third, thirdAtDave, 600.0, 1500.0, "third call during the outage");
        callerHangsUp(third, thirdAtDave, "third");
        assertTwoWay(second, secondAtBob, 520.0, 1300.0, "second call during the outage");

        Duration left = OUTAGE.minus(Duration.between(down, Instant.now()));
        if (left.isPositive()) {
            TestApp.sleep(left.toMillis());
        }
        assertTwoWay(second, secondAtBob, 520.0, 1300.0, "second call after 30 s without a database");
        postgres.start();

        second.hangup();
        secondAtBob.awaitEnded(SIGNAL);

        Duration back = Duration.ofSeconds(20);
        JsonNode firstCall = records.awaitCall(firstId, "admin", CallRecords::ended, back, "first ENDED");
        JsonNode secondCall = records.awaitCall(secondId, "admin", CallRecords::ended, back, "second ENDED");
        for (JsonNode call : List.of(firstCall, secondCall)) {
            assertThat(states(call)).as("transitions of %s, in order", call.path("id").asString())
                    .containsExactly("ROUTING", "RINGING", "TALKING", "ENDING", "ENDED");
            assertThat(call.path("hangupCause").asString()).isEqualTo("caller_hangup");
            CallFlowsIT.assertTimesConsistent(call);
        }
        assertThat(firstCall.path("endedAt").asString()).as("the time it really ended, not when it was written")
                .isLessThan(secondCall.path("endedAt").asString());

        // Saves made during the outage are retried every few seconds (at most 5 s apart), so the third and fourth
        // calls' records may come a little after the others'.
        List<JsonNode> others = new ArrayList<>();
        Instant thirdBy = Instant.now().plus(back);
        while (true) {
            others.clear();
            JsonNode calls = JsonMapperHolder.JSON.readTree(app.request("GET", "/api/calls?limit=10", null, admin).body());
            calls.path("items").forEach(c -> {
                if (!List.of(firstId, secondId).contains(c.path("id").asString())) {
                    others.add(c);
                }
            });
            if (others.size() >= 2 || Instant.now().isAfter(thirdBy)) {
                break;
            }
            TestApp.sleep(500);
        }
        assertThat(others).as("the third and fourth calls' records").hasSize(2);
        JsonNode thirdCall = records.awaitCall(only(others, TestApp.DEMO_DID).path("id").asString(), "admin",
                CallRecords::ended, back, "third ENDED");
        assertThat(states(thirdCall)).as("the third call's transitions, in order")
                .containsExactly("ROUTING", "RINGING", "TALKING", "ENDING", "ENDED");
        assertThat(thirdCall.path("hangupCause").asString()).isEqualTo("caller_hangup");
        CallFlowsIT.assertTimesConsistent(thirdCall);
        JsonNode fourthCall = records.awaitCall(only(others, SALES_DID).path("id").asString(), "admin",
                CallRecords::ended, back, "fourth ENDED");
        assertThat(fourthCall.path("hangupCause").asString()).isEqualTo("database_unavailable");
        assertThat(states(fourthCall)).containsExactly("ROUTING", "ANNOUNCING", "ENDING", "ENDED");

        assertThat(app.awaitOffCall("alice", SIGNAL)).isEqualTo("AVAILABLE");
        assertThat(app.awaitOffCall("bob", SIGNAL)).isEqualTo("AVAILABLE");
        assertThat(app.awaitOffCall("dave", SIGNAL)).isEqualTo("AVAILABLE");
    }

    /** The caller hangs up and the agent's phone is hung up by the app: how long that took is printed, not asserted. */
    private static void callerHangsUp(SipCall caller, SipCall agent, String which) {
        Instant hungUp = Instant.now();
        caller.hangup();
        agent.awaitEnded(SIGNAL);
        System.out.println("DatabaseOutageIT: the " + which + " call's agent was hung up "
                + Duration.between(hungUp, agent.endedAt()).toMillis() + " ms after the caller hung up");
    }

    private static JsonNode only(List<JsonNode> calls, String toNumber) {
        List<JsonNode> to = calls.stream().filter(c -> toNumber.equals(c.path("toNumber").asString())).toList();
        assertThat(to).as("calls to %s", toNumber).hasSize(1);
        return to.getFirst();
    }

    private static void assertTwoWay(SipCall caller, SipCall agent, double callerHz, double agentHz, String when) {
        assertThat(agent.awaitHearing(callerHz, AUDIO)).as("agent hears the caller: " + when).isTrue();
        assertThat(caller.awaitHearing(agentHz, AUDIO)).as("caller hears the agent: " + when).isTrue();
    }

    /** The states the call went through, from its event log (notes, which change no state, left out). */
    private static List<String> states(JsonNode call) {
        List<String> states = new ArrayList<>();
        for (JsonNode event : call.path("events")) {
            String to = event.path("toState").asString();
            if (states.isEmpty() || !states.getLast().equals(to)) {
                states.add(to);
            }
        }
        return states;
    }

    private static final class JsonMapperHolder {
        static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();
    }
}
