package io.callcenter.it;

import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two app instances over one PostgreSQL and one Asterisk (issue 17): the one holding the floor listens to Asterisk
 * and runs the calls, the other stands by; the first killed mid-call (SIGKILL of its own JVM), the second adopts its
 * calls and completes their records; the dialer's leader killed mid-campaign, the other leads and no lead is
 * dialled twice.
 */
class InstancesIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration SIGNAL = Duration.ofSeconds(10);
    private static final Duration AUDIO = Duration.ofSeconds(5);
    /** The bounds: calls adopted within 5 s, the dialer led again within 10 s. */
    private static final Duration ADOPTED_WITHIN = Duration.ofSeconds(5);
    private static final Duration LEADS_WITHIN = Duration.ofSeconds(10);
    private static final double CALLER_TONE = 440.0;
    private static final double AGENT_TONE = 1100.0;
    private static final double CARD_DIGITS = 1500.0;

    private final AppRestarts apps = new AppRestarts();
    private FakeTelnyx telnyx;
    private ChildApp child;

    @AfterEach
    void cleanUp() {
        if (child != null) {
            child.close();
        }
        apps.close();
        if (telnyx != null) {
            telnyx.close();
        }
    }

    /** Instance one in a JVM of its own, on the floor (and leading the dialer) before instance two starts. */
    private TestApp startOne(String database, Map<String, String> settings) throws Exception {
        child = ChildApp.start("one", database, TestAsterisk.get(), settings);
        child.awaitReady(Duration.ofSeconds(180));
        return child.api();
    }

    @Test
    void the_standby_adopts_the_calls_of_an_instance_killed_mid_call_and_completes_their_records() throws Exception {
        Talking talking = talkingOnOne();
        TestApp one = talking.one();
        TestApp two = talking.two();
        // Instance one dies while alice has the recording paused for the customer's card number (PCI DSS).
        String recording = "/api/calls/" + talking.callId() + "/recording/";
        assertThat(one.request("POST", recording + "pause", null, one.token("alice")).statusCode()).isEqualTo(200);
        talking.call().agent().playSilence();
        talking.call().caller().playTone(CARD_DIGITS);

        Instant killed = Instant.now();
        child.kill();
        CallRecords records = new CallRecords(two);
        JsonNode adopted = records.awaitLatest(c -> c.path("events").toString().contains("resumed after app restart"),
                ADOPTED_WITHIN, "adopted by the standby");
        System.out.printf("InstancesIT: call adopted %d ms after instance one was killed%n",
                Duration.between(killed, Instant.now()).toMillis());
        assertThat(holders(two)).containsEntry("FLOOR", "two").containsEntry("DIALER", "two");
        assertThat(adopted.path("recordingState").asString()).as("paused at the crash, still paused").isEqualTo("paused");

        // The card digits go on after the adoption; only then does alice resume, on the instance running the call.
        assertThat(talking.call().agent().awaitHearing(CARD_DIGITS, AUDIO)).as("alice hears the card digits").isTrue();
        TestApp.sleep(2500);
        talking.call().caller().playTone(CALLER_TONE);
        talking.call().agent().playTone(AGENT_TONE);
        assertThat(talking.call().agent().awaitHearing(CALLER_TONE, AUDIO)).as("the card digits are over").isTrue();
        var resumed = two.request("POST", recording + "resume", null, two.token("alice"));
        assertThat(resumed.statusCode()).as("the adopted call's recording resumes: " + resumed.body()).isEqualTo(200);
        assertThat(records.awaitLatest(c -> "recording".equals(c.path("recordingState").asString()), SIGNAL,
                "recording again on the agent's screen").path("id").asString()).isEqualTo(talking.callId());
        TestApp.sleep(2000);

        talkedAndEndedBy(talking, records);
        two.awaitAgentState("alice", "AVAILABLE", SIGNAL);
        WavFile file = ConferenceRecordingIT.download(two, talking.callId());
        assertThat(file.anyStretchWith(CARD_DIGITS)).as("no card digits in the recording, before or after the takeover")
                .isFalse();
        assertThat(file.longestSilence(50)).as("the pause, across the takeover, is a gap in the recording")
                .isGreaterThan(2.0);
        assertThat(file.hasStretchWithAll(CALLER_TONE, AGENT_TONE)).as("recorded again after the resume").isTrue();
    }

    @Test
    void the_dialer_leader_killed_mid_campaign_the_other_leads_and_no_lead_is_dialled_twice() throws Exception {
        telnyx = new FakeTelnyx();
        String database = TestDatabase.get().newDatabase();
        TestApp one = startOne(database, telnyx.appSettings(Map.of()));
        TestApp two = apps.start(() -> TestApp.startStandby(database, TestAsterisk.get(),
                telnyx.appSettings(named("two")), null));
        telnyx.webhooksTo(one);
        apps.phones.agent("1001", "127.0.0.3");
        one.awaitAgentState("alice", "AVAILABLE", SIGNAL);
        awaitHolder(two, "DIALER", "one", SIGNAL);

        DialerCampaigns campaigns = new DialerCampaigns(() -> one);
        campaigns.started("{\"name\":\"Failover\",\"dialRatio\":\"PROGRESSIVE\"}",
                "phone\n+1 212 555 0111\n+1 212 555 0112\n+1 212 555 0113\n");
        List<FakeTelnyx.Dial> dials = new ArrayList<>();
        FakeTelnyx.Dial placed = telnyx.awaitDial(SIGNAL);
        dials.add(placed);
        telnyx.send(placed, "call.initiated", Map.of("state", "bridging"));

        // The leader dies with its dial ringing: the attempt is in the database, the carrier's events still to come.
        Instant killed = Instant.now();
        child.kill();
        awaitHolder(two, "DIALER", "two", LEADS_WITHIN);
        System.out.printf("InstancesIT: dialer led again %d ms after its leader was killed%n",
                Duration.between(killed, Instant.now()).toMillis());
        telnyx.webhooksTo(two);

        // The new leader finishes the old leader's attempt and dials the rest, each lead once.
        telnyx.send(placed, "call.hangup", Map.of("hangup_cause", "timeout", "hangup_source", "callee"));
        for (int i = 0; i < 2; i++) {
            FakeTelnyx.Dial next = telnyx.awaitDial(SIGNAL);
            dials.add(next);
            telnyx.send(next, "call.initiated", Map.of("state", "bridging"));
            telnyx.send(next, "call.hangup", Map.of("hangup_cause", "timeout", "hangup_source", "callee"));
        }
        FakeTelnyx.Dial extra = telnyx.pollDial(Duration.ofSeconds(3));
        if (extra != null) {
            dials.add(extra);
        }

        Map<String, Integer> perNumber = new HashMap<>();
        dials.forEach(d -> perNumber.merge(d.to(), 1, Integer::sum));
        assertThat(perNumber).as("every lead dialled exactly once across both leaders").containsOnly(
                Map.entry("+12125550111", 1), Map.entry("+12125550112", 1), Map.entry("+12125550113", 1));
    }

    @Test
    void an_instance_cut_off_from_postgresql_gives_up_the_floor_it_finds_taken_and_the_calls_go_on_with_the_other()
            throws Exception {
        Talking talking = talkingOnOne();
        TestApp one = talking.one();
        TestApp two = talking.two();
        String database = talking.database();

        // What PostgreSQL does when it loses an instance's connection: the session ends, its locks are free.
        Instant cut = Instant.now();
        try (java.sql.Connection admin = java.sql.DriverManager.getConnection(database, TestDatabase.get().user(),
                TestDatabase.get().password()); var statement = admin.createStatement()) {
            // Cut again while the partition lasts: a session instance one reopens before the other polled would
            // otherwise confirm its roles (a blip, not a partition).
            Instant until = cut.plus(ADOPTED_WITHIN);
            do {
                statement.execute("select pg_terminate_backend(pid) from pg_stat_activity"
                        + " where application_name = 'one' and datname = current_database()");
                TestApp.sleep(50);
            } while (!"two".equals(holders(two).get("FLOOR")) && Instant.now().isBefore(until));
        }
        CallRecords records = new CallRecords(two);
        records.awaitLatest(c -> c.path("events").toString().contains("resumed after app restart"), ADOPTED_WITHIN,
                "adopted by the other instance");
        System.out.printf("InstancesIT: call adopted %d ms after instance one was cut off from PostgreSQL%n",
                Duration.between(cut, Instant.now()).toMillis());
        Instant deadline = Instant.now().plus(SIGNAL);
        while (ready(one) && Instant.now().isBefore(deadline)) {
            TestApp.sleep(100);
        }
        assertThat(ready(one)).as("instance one stopped listening to Asterisk once it found the floor taken").isFalse();
        assertThat(holders(two)).containsEntry("FLOOR", "two");
        // Instance one forgot the call when it gave up the floor: a click sent to it is for the active instance.
        String pause = "/api/calls/" + talking.callId() + "/recording/pause";
        var stale = one.request("POST", pause, null, one.token("alice"));
        assertThat(stale.statusCode()).as("refused by the instance that gave up the floor: " + stale.body())
                .isEqualTo(503);
        assertThat(stale.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(stale.body()).path("type").asString()).endsWith("not-active-instance");
        assertThat(stale.headers().firstValue("Retry-After")).isPresent();

        // A party conferenced in on the instance that adopted the call hears the recording's consent first.
        var added = two.request("POST", "/api/calls/" + talking.callId() + "/participants",
                "{\"target\":\"+15557650001\"}", two.token("alice"));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(202);
        SipCall third = talking.call().caller().phone().awaitIncomingCall(SIGNAL);
        third.answer();
        records.awaitLatest(c -> c.path("events").toString().contains("recording announced to joining party"), SIGNAL,
                "the joining party told of the recording");
        third.hangup();

        talkedAndEndedBy(talking, records);
    }

    /** Who runs the test's one call: instance one (its own JVM) on the floor, two standing by, alice talking. */
    private record Talking(String database, TestApp one, TestApp two, TestPhones.Connected call, String callId) {
    }

    private Talking talkingOnOne() throws Exception {
        String database = TestDatabase.get().newDatabase();
        TestApp one = startOne(database, Map.of());
        TestApp two = apps.start(() -> TestApp.startStandby(database, TestAsterisk.get(), named("two"), null));
        awaitHolder(two, "FLOOR", "one", SIGNAL);
        assertThat(ready(two)).as("the standby takes no traffic: not ready without the event stream").isFalse();
        SipPhone alice = apps.phones.agent("1001", "127.0.0.3");
        one.awaitAgentState("alice", "AVAILABLE", SIGNAL);
        TestPhones.Connected call = apps.phones.carrierCallAnsweredBy(alice, SIGNAL);
        String callId = new CallRecords(one).awaitLatest(c -> "TALKING".equals(c.path("state").asString()), SIGNAL,
                "TALKING").path("id").asString();
        return new Talking(database, one, two, call, callId);
    }

    /** After the adoption: audio both ways, the caller hangs up, the same call's record is complete. */
    private static void talkedAndEndedBy(Talking talking, CallRecords records) {
        TestPhones.Connected call = talking.call();
        call.caller().playTone(CALLER_TONE);
        call.agent().playTone(AGENT_TONE);
        assertThat(call.agent().awaitHearing(CALLER_TONE, AUDIO)).as("agent hears the caller after the adoption").isTrue();
        assertThat(call.caller().awaitHearing(AGENT_TONE, AUDIO)).as("caller hears the agent after the adoption").isTrue();
        call.caller().hangup();
        call.agent().awaitEnded(SIGNAL);
        JsonNode ended = records.awaitLatest(c -> CallRecords.ended(c) && !c.path("recordingUrl").isNull(), SIGNAL,
                "ENDED with its recording registered");
        assertThat(ended.path("id").asString()).isEqualTo(talking.callId());
        assertThat(ended.path("hangupCause").asString()).isEqualTo("caller_hangup");
        CallFlowsIT.assertTimesConsistent(ended);
    }

    private static Map<String, String> named(String name) {
        return Map.of("callcenter.instance.name", name);
    }

    private static boolean ready(TestApp app) {
        var health = app.request("GET", "/actuator/health/readiness", null, null);
        return health.statusCode() == 200 && "UP".equals(JSON.readTree(health.body()).path("status").asString());
    }

    /** role -> instance name, as the database's locks say (the operators' view in /actuator/health). */
    private static Map<String, String> holders(TestApp app) {
        JsonNode details = JSON.readTree(app.get("/actuator/health").body()).path("components").path("instance")
                .path("details").path("holders");
        Map<String, String> holders = new HashMap<>();
        details.properties().forEach(e -> holders.put(e.getKey(), e.getValue().asString()));
        return holders;
    }

    private static void awaitHolder(TestApp app, String role, String instance, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (instance.equals(holders(app).get(role))) {
                return;
            }
            TestApp.sleep(100);
        }
        throw new AssertionError(role + " not held by " + instance + " within " + timeout + ": " + holders(app));
    }
}
