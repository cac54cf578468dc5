package io.callcenter.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A storm of Telnyx webhooks against the dialer's inbox on the real app and PostgreSQL: 10,000 deliveries for
 * 1,000 attempts (every event delivered two or three times, shuffled), one event poisoned (a NUL character in its
 * result, which PostgreSQL refuses to store). Every attempt must end as a machine hung up on, with exactly one
 * hang-up sent and no transfer, and the poisoned event set aside without holding up the rest.
 */
class WebhookStormIT {

    private static final int ATTEMPTS = 1_000;
    private static final int DELIVERIES = 10_000;
    /** Attempts whose events are shuffled together; one group is stored well within the inbox hold. */
    private static final int GROUP = 100;

    private static String databaseUrl;
    private static FakeTelnyx telnyx;
    private static TestApp app;

    @BeforeAll
    static void start() throws Exception {
        databaseUrl = TestDatabase.get().newDatabase();
        telnyx = new FakeTelnyx();
        // A call's events wait until it has been quiet this long, so a shuffled group is applied in order.
        // Pacing ticks at the default pace: each tick's watchdog reads every open attempt, and 1,000 of them on
        // the dialer's one lane every 200 ms (the dialer ITs' pace) would leave the inbox little lane time.
        app = TestApp.start(databaseUrl, TestAsterisk.get(), telnyx.appSettings(Map.of(
                "callcenter.dialer.inbox-hold", "2s", "callcenter.dialer.tick", "1s")));
        telnyx.webhooksTo(app);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (telnyx != null) {
            telnyx.close();
        }
    }

    @Test
    void ten_thousand_shuffled_and_duplicated_webhooks_end_every_attempt_once_and_set_the_poisoned_one_aside()
            throws Exception {
        String campaign = new DialerCampaigns(() -> app).create("{\"name\":\"Storm\",\"dialRatio\":\"1.5\"}");
        StringBuilder csv = new StringBuilder("phone\n");
        for (int i = 0; i < ATTEMPTS; i++) {
            csv.append("+1212").append(String.format("%07d", 5_000_000 + i)).append('\n');
        }
        new DialerCampaigns(() -> app).importLeads(campaign, csv.toString());
        List<FakeTelnyx.Dial> dials = attemptsInFlight(UUID.fromString(campaign));

        // Four events a call, as Telnyx sends them for a machine the app hangs up on; every one two or three times.
        Random random = new Random(11);
        FakeTelnyx.Dial poisonedDial = dials.get(random.nextInt(ATTEMPTS));
        String poisonedEvent = null;
        List<List<ObjectNode>> groups = new ArrayList<>();
        Instant t0 = Instant.now();
        int extra = DELIVERIES - 2 * 4 * ATTEMPTS;
        for (int g = 0; g < ATTEMPTS / GROUP; g++) {
            List<ObjectNode> group = new ArrayList<>();
            for (FakeTelnyx.Dial dial : dials.subList(g * GROUP, (g + 1) * GROUP)) {
                boolean poisoned = dial == poisonedDial;
                List<ObjectNode> events = List.of(
                        telnyx.event(dial, "call.initiated", t0, Map.of()),
                        telnyx.event(dial, "call.answered", t0.plusSeconds(2), Map.of()),
                        telnyx.event(dial, "call.machine.premium.detection.ended", t0.plusSeconds(5),
                                Map.of("result", poisoned ? "machine\u0000" : "machine")),
                        telnyx.event(dial, "call.hangup", t0.plusSeconds(6), Map.of("hangup_cause", "normal_clearing",
                                "hangup_source", "caller")));
                if (poisoned) {
                    poisonedEvent = events.get(2).path("data").path("id").asString();
                }
                for (ObjectNode event : events) {
                    group.add(event);
                    group.add(event);
                    if (extra > 0 && random.nextInt(4) == 0) {
                        group.add(event);
                        extra--;
                    }
                }
            }
            Collections.shuffle(group, random);
            groups.add(group);
        }
        while (extra > 0) {
            List<ObjectNode> group = groups.get(random.nextInt(groups.size()));
            group.add(group.get(random.nextInt(group.size())));
            extra--;
        }

        // Stored as the webhook endpoint stores a delivery once its signature is checked (DialerIT and
        // DialerTelnyxConformanceIT cover that path): a redelivery collapses on the event id. Straight into the
        // table, because 10,000 signed HTTP requests take minutes on a shared test machine.
        Instant started = Instant.now();
        int delivered = 0;
        try (Connection db = connect();
             PreparedStatement store = db.prepareStatement("insert into telnyx_inbox (event_id, event_type,"
                     + " call_control_id, attempt_id, occurred_at, body, received_at) values (?, ?, ?, ?, ?, ?, ?)"
                     + " on conflict do nothing")) {
            db.setAutoCommit(false);
            for (List<ObjectNode> group : groups) {
                for (ObjectNode event : group) {
                    tools.jackson.databind.JsonNode data = event.path("data");
                    store.setString(1, data.path("id").asString());
                    store.setString(2, data.path("event_type").asString());
                    store.setString(3, data.path("payload").path("call_control_id").asString());
                    store.setObject(4, UUID.fromString(new String(Base64.getDecoder().decode(
                            data.path("payload").path("client_state").asString()), StandardCharsets.US_ASCII)));
                    store.setObject(5, java.time.OffsetDateTime.parse(data.path("occurred_at").asString()));
                    store.setString(6, event.toString());
                    store.setObject(7, java.time.OffsetDateTime.now());
                    store.addBatch();
                    delivered++;
                }
                store.executeBatch();
                // A group at a time, as deliveries arrive: the applier may start on the first while later ones come.
                db.commit();
            }
        }
        assertThat(delivered).isEqualTo(DELIVERIES);
        Duration delivering = Duration.between(started, Instant.now());
        awaitAllEnded(UUID.fromString(campaign), Duration.ofSeconds(120));
        System.out.printf("WebhookStormIT: %d deliveries stored in %d ms, every attempt ended %d ms after the first%n",
                delivered, delivering.toMillis(), Duration.between(started, Instant.now()).toMillis());

        try (Connection db = connect()) {
            Map<String, Integer> outcomes = new HashMap<>();
            for (FakeTelnyx.Dial dial : dials) {
                String outcome = single(db, "select state || ' ' || coalesce(outcome, '-') from dial_attempt where id = ?",
                        dial.attemptId());
                if (dial != poisonedDial) {
                    outcomes.merge(outcome, 1, Integer::sum);
                    assertThat(telnyx.actions(dial.callControlId())).as("commands for attempt %s", dial.attemptId())
                            .extracting(FakeTelnyx.Action::action).containsExactly("hangup");
                    List<String> moves = transitions(db, dial.attemptId());
                    // Each state change once, in the order the events occurred, whatever order they arrived in.
                    assertThat(moves).as("transitions of %s", dial.attemptId()).containsExactly("DIALING>RINGING",
                            "RINGING>ANSWERED", "ANSWERED>HANGING_UP", "HANGING_UP>ENDED");
                } else {
                    assertThat(outcome).as("the poisoned attempt still ends with its hangup").startsWith("ENDED");
                    assertThat(telnyx.actions(dial.callControlId())).as("no command from an event set aside").isEmpty();
                }
            }
            assertThat(outcomes).containsExactly(Map.entry("ENDED VOICEMAIL", ATTEMPTS - 1));
            assertThat(single(db, "select count(*)::text from telnyx_inbox", null)).as("duplicates collapsed")
                    .isEqualTo(Integer.toString(4 * ATTEMPTS));
            assertThat(single(db, "select string_agg(event_id || ' ' || tries, ',') from telnyx_inbox where set_aside_at is not null", null))
                    .isEqualTo(poisonedEvent + " 3");
            assertThat(single(db, "select count(*)::text from telnyx_inbox where applied_at is null and set_aside_at is null", null))
                    .isEqualTo("0");
        }
    }

    /** Attempts as the dialer would have them after placing their calls: one per lead, each with its carrier id. */
    private static List<FakeTelnyx.Dial> attemptsInFlight(UUID campaign) throws SQLException {
        List<FakeTelnyx.Dial> dials = new ArrayList<>();
        try (Connection db = connect()) {
            db.setAutoCommit(false);
            try (PreparedStatement leads = db.prepareStatement("select id, e164 from lead where campaign_id = ? order by e164");
                 PreparedStatement attempt = db.prepareStatement("insert into dial_attempt (id, campaign_id, lead_id, e164,"
                         + " state, call_control_id, created_at, greeting_silence_millis) values (?, ?, ?, ?, 'DIALING', ?, now(), 800)");
                 PreparedStatement dialing = db.prepareStatement("update lead set status = 'DIALING', attempts = 1,"
                         + " last_attempt_at = now() where id = ?")) {
                leads.setObject(1, campaign);
                try (ResultSet rows = leads.executeQuery()) {
                    while (rows.next()) {
                        UUID attemptId = UUID.randomUUID();
                        UUID lead = rows.getObject(1, UUID.class);
                        String ccid = "v3:" + UUID.randomUUID();
                        attempt.setObject(1, attemptId);
                        attempt.setObject(2, campaign);
                        attempt.setObject(3, lead);
                        attempt.setString(4, rows.getString(2));
                        attempt.setString(5, ccid);
                        attempt.addBatch();
                        dialing.setObject(1, lead);
                        dialing.addBatch();
                        String state = Base64.getEncoder().encodeToString(attemptId.toString().getBytes(StandardCharsets.US_ASCII));
                        dials.add(new FakeTelnyx.Dial(ccid, rows.getString(2), "+15550100", "premium", state, attemptId, null));
                    }
                }
                attempt.executeBatch();
                dialing.executeBatch();
            }
            db.commit();
        }
        assertThat(dials).hasSize(ATTEMPTS);
        return dials;
    }

    private static void awaitAllEnded(UUID campaign, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        String open = null;
        while (Instant.now().isBefore(deadline)) {
            try (Connection db = connect()) {
                open = single(db, "select count(*)::text from dial_attempt where ended_at is null and campaign_id = ?", campaign);
                String pending = single(db, "select count(*)::text from telnyx_inbox where applied_at is null and set_aside_at is null", null);
                if ("0".equals(open) && "0".equals(pending)) {
                    return;
                }
            }
            TestApp.sleep(500);
        }
        throw new AssertionError(open + " attempts still open after " + timeout);
    }

    private static List<String> transitions(Connection db, UUID attempt) throws SQLException {
        List<String> moves = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement("select from_state, to_state from dial_attempt_event where attempt_id = ?"
                + " and from_state is distinct from to_state and from_state is not null order by id")) {
            q.setObject(1, attempt);
            try (ResultSet rows = q.executeQuery()) {
                while (rows.next()) {
                    moves.add(rows.getString(1) + ">" + rows.getString(2));
                }
            }
        }
        return moves;
    }

    private static String single(Connection db, String sql, Object parameter) throws SQLException {
        try (PreparedStatement q = db.prepareStatement(sql)) {
            if (parameter != null) {
                q.setObject(1, parameter);
            }
            try (ResultSet rows = q.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(databaseUrl, TestDatabase.get().user(), TestDatabase.get().password());
    }
}
