package io.callcenter.it;

import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A team's agents come from the routing memory (issue 14, migration V165): an agent moved between teams straight in
 * the database, as another app instance would (this process hears of nothing), is routed by the very next call,
 * because the move moved the routing generation; an agent's call ending or state choice, which happen with every
 * call, do not move it.
 */
class AgentsFromMemoryIT {

    private static final Duration SIGNAL = Duration.ofSeconds(10);
    private static TestApp app;
    private static CallRecords records;

    @BeforeAll
    static void startSystem() {
        app = TestApp.start(TestDatabase.get().newDatabase(), TestAsterisk.get());
        records = new CallRecords(app);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void an_agent_moved_into_the_team_by_another_instance_is_rung_by_the_next_call() throws Exception {
        UUID team = teamOf("1001");
        UUID elsewhere = UUID.fromString(query("select id from team where id <> '" + team + "' order by name limit 1"));
        try (TestPhones phones = new TestPhones()) {
            SipPhone alice = phones.agent("1001", "127.0.0.3");
            SipPhone carrier = phones.carrier();
            // Alice in another team: the first call finds nobody and fills the memory with the team without her.
            moveAgent("1001", elsewhere);
            SipCall first = carrier.call(TestApp.DEMO_DID);
            first.awaitAnswered(SIGNAL);
            first.awaitEnded(Duration.ofSeconds(20));
            JsonNode nobody = records.awaitLatest(CallRecords::ended, SIGNAL, "ENDED");
            assertThat(nobody.path("hangupCause").asString()).isEqualTo("no_agent_available");

            moveAgent("1001", team);
            SipCall second = carrier.call(TestApp.DEMO_DID);
            SipCall atAlice = alice.awaitIncomingCall(SIGNAL);
            atAlice.answer();
            second.awaitAnswered(SIGNAL);
            second.hangup();
            atAlice.awaitEnded(SIGNAL);
        } finally {
            moveAgent("1001", team);
            TestAsterisk.get().awaitIdle(TestPhones.SETTLE, TestPhones.AGENT_EXTENSIONS);
        }
    }

    @Test
    void a_calls_end_and_a_chosen_state_leave_the_routing_generation_but_a_new_phone_moves_it() throws Exception {
        long before = generation();
        update("update agent set last_call_ended_at = now(), chosen_state = 'AVAILABLE' where extension = '1002'");
        assertThat(generation()).isEqualTo(before);
        update("update agent set phone = phone where extension = '1002'");
        assertThat(generation()).isGreaterThan(before);
    }

    private static UUID teamOf(String extension) throws Exception {
        return UUID.fromString(query("select team_id from agent where extension = '" + extension + "'"));
    }

    private static long generation() throws Exception {
        return Long.parseLong(query("select generation from routing_generation"));
    }

    private static void moveAgent(String extension, UUID team) throws Exception {
        update("update agent set team_id = '" + team + "' where extension = '" + extension + "'");
    }

    private static void update(String sql) throws Exception {
        try (Connection db = app.bean(DataSource.class).getConnection(); PreparedStatement statement = db.prepareStatement(sql)) {
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
    }

    private static String query(String sql) throws Exception {
        try (Connection db = app.bean(DataSource.class).getConnection(); PreparedStatement statement = db.prepareStatement(sql);
             ResultSet row = statement.executeQuery()) {
            assertThat(row.next()).as(sql).isTrue();
            return row.getString(1);
        }
    }
}
