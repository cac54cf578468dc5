package io.callcenter.it;

import io.callcenter.agent.AgentDirectory;
import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-dialer's "done means", as a new user would try it: two agents sign in to the softphone page in two
 * headless browsers and are Available; the manager creates a campaign, imports a CSV of leads and switches it on
 * through the REST API; the stand-in carrier ({@link FakeTelnyx} plus the SIP carrier at 127.0.0.2) answers two
 * leads with a person and two with a machine. The persons reach the agents' browsers with audio both ways, the
 * machines are hung up on and tagged VOICEMAIL without any page ringing, the agents disposition their calls in the
 * page, and the campaign's figures report no abandons.
 *
 * <p>Each party has its own tone (alice's microphone 440 Hz, bob's 700 Hz, the two persons 1100 and 1300 Hz), so a
 * crossed or one-way connection fails rather than passes on someone else's audio.
 */
class DialerBrowserIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration SOON = Duration.ofSeconds(8);
    private static final Duration SIGNAL = Duration.ofSeconds(15);
    private static final Duration AUDIO = Duration.ofSeconds(8);
    private static final Path ARTIFACTS = TestAsterisk.repoDir().resolve("app/target/dialer-browser-it");
    private static final List<String> LEADS = List.of("+12125550201", "+12125550202", "+12125550203", "+12125550204");

    /** An agent: their browser, their microphone's tone and their agent id. */
    private record Agent(String name, double tone, BrowserSoftphone page, UUID id) {
    }

    private static TestApp app;
    private static FakeTelnyx telnyx;
    private static TestPhones phones;
    private static SipPhone carrier;
    private static final Map<String, Agent> agents = new LinkedHashMap<>();
    private final HttpClient http = TestTls.httpClient();

    @BeforeAll
    static void startSystem() throws Exception {
        telnyx = new FakeTelnyx();
        app = TestApp.startTls(TestDatabase.get().newDatabase(), TestAsterisk.get(), Map.of(
                "callcenter.telnyx.base-url", telnyx.baseUrl(),
                "callcenter.telnyx.api-key", "test-api-key",
                "callcenter.telnyx.connection-id", "conn-1",
                "callcenter.telnyx.public-key", telnyx.publicKey(),
                "callcenter.telnyx.sip-host", "127.0.0.1",
                "callcenter.dialer.tick", "200ms",
                // Tests run at any hour; the deployment's lawful window is a setting (08:00-21:00 by default).
                "callcenter.dialer.lawful-calling-hours", "00:00-23:59",
                "callcenter.dialer.inbox-hold", "200ms",
                "callcenter.demo.agent-phone", "webrtc",
                // The agents stay in wrap-up until they save a disposition in the page, as they would at work.
                "callcenter.demo.wrap-up", "120s"));
        telnyx.webhooksTo(app.baseUrl() + "/webhooks/telnyx");
        phones = new TestPhones();
        carrier = phones.carrier();
        AgentDirectory directory = app.bean(AgentDirectory.class);
        for (var agent : List.of(Map.entry("alice", 440.0), Map.entry("bob", 700.0))) {
            String name = agent.getKey();
            Path microphone = ARTIFACTS.resolve(name + "-" + agent.getValue().intValue() + "hz.wav");
            // A whole number of periods, so Chromium's looping of the file leaves no click that smears the spectrum.
            BrowserSoftphone.writeToneWav(microphone, agent.getValue(), Duration.ofSeconds(10));
            BrowserSoftphone page = BrowserSoftphone.start(app.baseUrl() + "/", microphone,
                    ARTIFACTS.resolve(name));
            UUID id = directory.byExtension(name.equals("alice") ? "1001" : "1002").orElseThrow().id();
            agents.put(name, new Agent(name, agent.getValue(), page, id));
        }
    }

    @AfterAll
    static void stop() {
        agents.values().forEach(agent -> agent.page().close());
        if (phones != null) {
            phones.close();
        }
        if (app != null) {
            app.close();
        }
        if (telnyx != null) {
            telnyx.close();
        }
    }

    @Test
    void a_manager_starts_a_campaign_its_humans_reach_the_agents_browsers_and_its_machines_are_tagged_voicemail() throws Exception {
        try {
            run();
        } catch (Throwable failure) {
            // The driver shoots its own failed steps; a failed assertion on this side needs the pages too.
            for (Agent agent : agents.values()) {
                try {
                    agent.page().run("screenshot", SIGNAL, "name", "failure");
                } catch (Throwable ignored) {
                    // The page may be what broke.
                }
            }
            throw failure;
        }
    }

    private void run() throws Exception {
        for (Agent agent : agents.values()) {
            agent.page().run("login", SIGNAL, "username", agent.name(), "password", TestApp.USER_PASSWORD);
            agent.page().run("setAgentState", SIGNAL, "state", "AVAILABLE");
        }
        for (Agent agent : agents.values()) {
            awaitAgentState(agent.name(), "AVAILABLE");
        }

        String campaign = createCampaign();
        JsonNode report = importLeads(campaign, "phone,name,external_id\n"
                + "(212) 555-0201,Ann,crm-201\n212-555-0202,Ben,crm-202\n+1 212 555 0203,Cleo,crm-203\n2125550204,Dan,crm-204\n");
        assertThat(report.path("created").asInt()).as("import report: %s", report).isEqualTo(4);
        assertThat(report.path("rejectedCount").asInt()).isZero();
        enable(campaign);

        // Ratio 1.5 with two agents ready: three calls in flight, not more.
        List<FakeTelnyx.Dial> dials = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            dials.add(telnyx.awaitDial(SOON));
        }
        assertThat(telnyx.pollDial(Duration.ofSeconds(1))).as("ratio 1.5 x 2 agents = 3 calls in flight").isNull();
        assertThat(dials).extracting(FakeTelnyx.Dial::to).doesNotHaveDuplicates().allMatch(LEADS::contains);
        assertThat(dials).extracting(FakeTelnyx.Dial::from).as("the team's caller ID").containsOnly("+15550100");
        assertThat(dials).extracting(FakeTelnyx.Dial::amd).containsOnly("premium");
        Map<String, String> expectedOutcome = new HashMap<>();

        // A person answers the first call: an agent's browser picks up and both hear each other.
        Connected first = human(campaign, dials.get(0), 1100);
        expectedOutcome.put(first.dial().to(), "ANSWERED");
        Agent idle = other(first.agent());
        // Proves the page check below can see a call at all.
        assertThat(hasCall(first.agent())).isTrue();
        assertThat(hasCall(idle)).as("only %s's page has a call", first.agent().name()).isFalse();

        // A machine answers the second while the other agent is idle: nobody is rung, the carrier is told to hang up.
        machine(campaign, dials.get(1));
        expectedOutcome.put(dials.get(1).to(), "VOICEMAIL");
        assertThat(hasCall(idle)).as("a machine never rings %s's page", idle.name()).isFalse();
        assertThat(agentState(idle.name())).isEqualTo("AVAILABLE");

        // The machine freed a slot: the fourth lead is dialled (1.5 x 1 free agent, one call in flight).
        FakeTelnyx.Dial fourth = telnyx.awaitDial(SOON);
        assertThat(fourth.to()).isIn(LEADS).isNotIn(dials.stream().map(FakeTelnyx.Dial::to).toList());

        // A person answers the third while the first call goes on: the other agent takes it.
        Connected second = human(campaign, dials.get(2), 1300);
        expectedOutcome.put(second.dial().to(), "ANSWERED");
        assertThat(second.agent()).as("each agent takes one of the two persons").isEqualTo(idle);
        assertNoCrossTalk(first, second);

        machine(campaign, fourth);
        expectedOutcome.put(fourth.to(), "VOICEMAIL");

        // The persons hang up; each agent dispositions in the page.
        hangUp(first, "INTERESTED", "Interested");
        hangUp(second, "NOT_INTERESTED", "Not interested");
        // One code list: the agent's disposition becomes the lead's outcome.
        expectedOutcome.put(first.dial().to(), "INTERESTED");
        expectedOutcome.put(second.dial().to(), "NOT_INTERESTED");
        for (Agent agent : agents.values()) {
            awaitAgentState(agent.name(), "AVAILABLE");
        }
        assertThat(telnyx.pollDial(Duration.ofSeconds(1))).as("every lead is done or waits for its retry time").isNull();

        JsonNode stats = get("/api/campaigns/" + campaign + "/stats");
        System.out.printf("DialerBrowserIT stats: %s%n", stats);
        assertThat(stats.path("dials").asInt()).isEqualTo(4);
        assertThat(stats.path("answers").asInt()).isEqualTo(4);
        assertThat(stats.path("humans").asInt()).isEqualTo(2);
        assertThat(stats.path("machines").asInt()).isEqualTo(2);
        assertThat(stats.path("connected").asInt()).isEqualTo(2);
        assertThat(stats.path("abandons").asInt()).isZero();
        assertThat(stats.path("abandonRate").isNull()).as("reported, since persons answered").isFalse();
        assertThat(stats.path("abandonRate").asDouble()).isZero();
        assertThat(stats.path("avgSecondsToConnect").isNull()).isFalse();

        Map<String, JsonNode> leads = new HashMap<>();
        get("/api/campaigns/" + campaign + "/leads").valueStream().forEach(l -> leads.put(l.path("e164").asString(), l));
        assertThat(leads.keySet()).containsExactlyInAnyOrderElementsOf(LEADS);
        for (String number : LEADS) {
            JsonNode lead = leads.get(number);
            System.out.printf("DialerBrowserIT lead %s: status %s, last outcome %s, next attempt %s%n", number,
                    lead.path("status").asString(), lead.path("lastOutcome").asString(), lead.path("nextAttemptAt").asString(null));
            assertThat(lead.path("lastOutcome").asString()).as("lead %s", number).isEqualTo(expectedOutcome.get(number));
            assertThat(lead.path("attempts").asInt()).as("lead %s dialled once", number).isEqualTo(1);
            if (expectedOutcome.get(number).equals("VOICEMAIL")) {
                assertThat(lead.path("status").asString()).as("a machine's lead is tried again later").isEqualTo("RETRY");
                assertThat(Instant.parse(lead.path("nextAttemptAt").asString())).isAfter(Instant.now().plus(Duration.ofHours(1)));
            } else {
                assertThat(lead.path("status").asString()).as("a lead who talked to an agent").isEqualTo("DONE");
            }
        }
    }

    // ------------------------------------------------------------------ the carrier's side of a call

    /** A person connected to an agent's browser through the dialer. */
    private record Connected(FakeTelnyx.Dial dial, Agent agent, SipCall person, double personTone) {
    }

    /**
     * The carrier reports a person; the app asks it to transfer the call to us, and the test places the SIP call
     * Telnyx would. The reserved agent's page answers by itself; audio must then flow both ways. Prints the time
     * from the human result to two-way audio.
     */
    private Connected human(String campaign, FakeTelnyx.Dial dial, double personTone) throws Exception {
        telnyx.send(dial, "call.initiated", Map.of("state", "bridging"));
        telnyx.send(dial, "call.answered", Map.of());
        long humanAt = System.nanoTime();
        telnyx.send(dial, "call.machine.premium.detection.ended", Map.of("result", "human_residence"));
        FakeTelnyx.Action transfer = telnyx.awaitAction(dial.callControlId(), "transfer", Duration.ofSeconds(3));
        long transferAt = System.nanoTime();
        assertThat(transfer.body().path("to").asString()).isEqualTo("sip:attempt-" + dial.attemptId() + "@127.0.0.1");

        JsonNode attempt = attempt(campaign, dial, a -> "TRANSFERRING".equals(a.path("attempt").path("state").asString()));
        UUID agentId = UUID.fromString(attempt.path("attempt").path("agentId").asString());
        Agent agent = agents.values().stream().filter(a -> a.id().equals(agentId)).findFirst()
                .orElseThrow(() -> new AssertionError("reserved agent " + agentId + " is neither alice nor bob"));
        assertThat(agentState(agent.name())).as("%s reserved for the person", agent.name()).isEqualTo("ON_CALL");

        SipCall person = carrier.call("attempt-" + dial.attemptId());
        person.awaitAnswered(SIGNAL);
        long answeredAt = System.nanoTime();
        person.playTone(personTone);
        // The person's ear and the agent's page are watched at once, so neither wait hides the other's moment.
        CompletableFuture<Long> personHears = CompletableFuture.supplyAsync(
                () -> person.awaitHearing(agent.tone(), AUDIO) ? System.nanoTime() : -1L);

        JsonNode talking = agent.page().run("awaitTalking", SIGNAL);
        long talkingAt = System.nanoTime();
        assertThat(talking.path("call").path("autoAnswer").asBoolean()).as("answered by the page, not the agent").isTrue();
        assertThat(talking.path("call").path("callId").asString()).as("the call record is the attempt's")
                .isEqualTo(dial.attemptId().toString());
        assertThat(talking.path("call").path("number").asString()).as("the agent sees whom they talk to").isEqualTo(dial.to());

        long agentHearsAt = -1;
        Instant deadline = Instant.now().plus(AUDIO);
        while (agentHearsAt < 0 && Instant.now().isBefore(deadline)) {
            JsonNode tone = agent.page().run("measureAudio", Duration.ofSeconds(5), "ms", 300,
                    "frequencies", List.of(personTone)).path("tone");
            if (tone.path("error").isMissingNode() && Math.abs(tone.path("peakHz").asInt() - personTone) <= 20
                    && aboveMedian(tone, personTone) > 30) {
                agentHearsAt = System.nanoTime();
            }
        }
        long personHearsAt = personHears.get(AUDIO.toSeconds() + 5, TimeUnit.SECONDS);
        assertThat(personHearsAt).as("the person hears %s's microphone (%.0f Hz)", agent.name(), agent.tone()).isPositive();
        assertThat(agentHearsAt).as("%s's page hears the person (%.0f Hz)", agent.name(), personTone).isPositive();
        System.out.printf("DialerBrowserIT %s -> %s: human result to transfer command %d ms, to SIP call answered %d ms, "
                        + "to page talking %d ms, person hears agent %d ms, page hears person %d ms; two-way audio %d ms "
                        + "after the human result (the test places the transfer's SIP call at once)%n",
                dial.to(), agent.name(), ms(humanAt, transferAt), ms(humanAt, answeredAt), ms(humanAt, talkingAt),
                ms(humanAt, personHearsAt), ms(humanAt, agentHearsAt), ms(humanAt, Math.max(personHearsAt, agentHearsAt)));

        Connected connected = new Connected(dial, agent, person, personTone);
        assertTwoWayAudio(connected, "just connected");
        JsonNode call = get("/api/calls/" + dial.attemptId());
        assertThat(call.path("state").asString()).isEqualTo("TALKING");
        assertThat(call.path("agentId").asString()).isEqualTo(agent.id().toString());
        JsonNode connectedAttempt = attempt(campaign, dial, a -> true).path("attempt");
        assertThat(connectedAttempt.path("state").asString()).isEqualTo("CONNECTED");
        System.out.printf("DialerBrowserIT %s -> %s: the app's own figure, human result to connected: %d ms%n", dial.to(),
                agent.name(), Duration.between(Instant.parse(connectedAttempt.path("humanAt").asString()),
                        Instant.parse(connectedAttempt.path("connectedAt").asString())).toMillis());
        return connected;
    }

    /** The carrier reports a machine: the app hangs up through Telnyx and the attempt ends as VOICEMAIL. */
    private void machine(String campaign, FakeTelnyx.Dial dial) {
        telnyx.send(dial, "call.initiated", Map.of("state", "bridging"));
        telnyx.send(dial, "call.answered", Map.of());
        telnyx.send(dial, "call.machine.premium.detection.ended", Map.of("result", "machine"));
        telnyx.awaitAction(dial.callControlId(), "hangup", Duration.ofSeconds(3));
        telnyx.send(dial, "call.hangup", Map.of("hangup_cause", "normal_clearing", "hangup_source", "caller"));
        JsonNode attempt = attempt(campaign, dial, a -> "ENDED".equals(a.path("attempt").path("state").asString()));
        assertThat(attempt.path("attempt").path("outcome").asString()).isEqualTo("VOICEMAIL");
        assertThat(attempt.path("attempt").path("agentId").isNull()).as("no agent reserved for a machine").isTrue();
        assertThat(telnyx.actions(dial.callControlId())).extracting(FakeTelnyx.Action::action).containsExactly("hangup");
    }

    /** The person hangs up; the page shows wrap-up, the agent picks a disposition, the call record keeps it. */
    private void hangUp(Connected connected, String code, String label) {
        connected.person().hangup();
        JsonNode ended = connected.agent().page().run("awaitEnded", SIGNAL);
        String callId = connected.dial().attemptId().toString();
        assertThat(ended.path("wrapUp").path("callId").asString()).isEqualTo(callId);
        telnyx.send(connected.dial(), "call.hangup", Map.of("hangup_cause", "normal_clearing", "hangup_source", "callee"));
        connected.agent().page().run("dispose", SIGNAL, "code", code);
        connected.agent().page().run("history", SIGNAL, "callId", callId, "disposition", label);
        JsonNode call = get("/api/calls/" + callId);
        assertThat(call.path("state").asString()).isEqualTo("ENDED");
        assertThat(call.path("disposition").asString()).isEqualTo(code);
        assertThat(call.path("number").asString()).isEqualTo(connected.dial().to());
    }

    /** The person hears the agent, and the page receives RTP whose spectrum peaks at the person's tone. */
    private void assertTwoWayAudio(Connected c, String when) {
        assertThat(c.person().awaitHearing(c.agent().tone(), AUDIO)).as("%s: person hears %s", when, c.agent().name()).isTrue();
        JsonNode audio = c.agent().page().run("measureAudio", Duration.ofSeconds(10), "ms", 2000,
                "frequencies", List.of(c.personTone(), 1100.0, 1300.0));
        long received = delta(audio, "inbound", "packetsReceived");
        long sent = delta(audio, "outbound", "packetsSent");
        JsonNode tone = audio.path("tone");
        System.out.printf("DialerBrowserIT %s, %s: RTP in %d / out %d packets in 2 s, codec %s, spectrum peak %d Hz "
                        + "(%.0f Hz %.1f dB above the median)%n", when, c.agent().name(), received, sent,
                audio.path("after").path("inbound").path("codec").asString(), tone.path("peakHz").asInt(),
                c.personTone(), aboveMedian(tone, c.personTone()));
        // 20 ms packets: 100 in 2 s; allow for the window's edges.
        assertThat(received).as("%s: RTP packets into %s's page", when, c.agent().name()).isGreaterThan(70);
        assertThat(sent).as("%s: RTP packets out of %s's page", when, c.agent().name()).isGreaterThan(70);
        assertThat(tone.path("peakHz").asInt()).as("%s: %s's page hears the person: %s", when, c.agent().name(), tone)
                .isBetween((int) c.personTone() - 20, (int) c.personTone() + 20);
        assertThat(aboveMedian(tone, c.personTone())).as("%s: %s", when, tone).isGreaterThan(30);
    }

    /** Two calls at once: each person hears their own agent only, each page its own person only. */
    private void assertNoCrossTalk(Connected first, Connected second) {
        for (Connected c : List.of(first, second)) {
            Connected other = c == first ? second : first;
            assertTwoWayAudio(c, "two calls at once");
            assertThat(c.person().hears(other.agent().tone())).as("%s hears only their agent", c.dial().to()).isFalse();
            JsonNode tone = c.agent().page().run("measureAudio", Duration.ofSeconds(10), "ms", 1000,
                    "frequencies", List.of(c.personTone(), other.personTone())).path("tone");
            assertThat(aboveMedian(tone, c.personTone()) - aboveMedian(tone, other.personTone()))
                    .as("%s's page hears its person, not the other call: %s", c.agent().name(), tone).isGreaterThan(30);
        }
    }

    // ------------------------------------------------------------------ the manager's REST API

    private String createCampaign() {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", "Spring follow-up").put("dialRatio", "1.5")
                .put("safeHarborMessage", DialerCampaigns.SAFE_HARBOR);
        // Tests run at any hour: the window covers the whole day.
        body.putObject("callingHours").put("start", "00:00").put("end", "23:59");
        HttpResponse<String> created = app.request("POST", "/api/campaigns", JSON.writeValueAsString(body), app.token("maria"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String campaign = JSON.readTree(created.body()).path("campaign").path("id").asString();
        DialerCampaigns.uploadSafeHarborRecording(app, campaign);
        return campaign;
    }

    private void enable(String campaign) {
        HttpResponse<String> response = app.request("PUT", "/api/campaigns/" + campaign + "/enabled",
                "{\"enabled\":true,\"reason\":\"agents ready\",\"confirm\":true}", app.token("maria"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private JsonNode importLeads(String campaign, String csv) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/campaigns/" + campaign + "/leads"))
                .header("Content-Type", "text/csv")
                .header("Authorization", "Bearer " + app.token("maria"))
                .POST(HttpRequest.BodyPublishers.ofString(csv)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static JsonNode get(String path) {
        HttpResponse<String> response = app.request("GET", path, null, app.token("maria"));
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** The dialled lead's latest attempt with its events, once it satisfies the condition. */
    private JsonNode attempt(String campaign, FakeTelnyx.Dial dial, Predicate<JsonNode> condition) {
        Instant deadline = Instant.now().plus(SOON);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            for (JsonNode lead : get("/api/campaigns/" + campaign + "/leads")) {
                if (!dial.to().equals(lead.path("e164").asString())) {
                    continue;
                }
                JsonNode attempts = get("/api/campaigns/" + campaign + "/leads/" + lead.path("id").asString()).path("attempts");
                for (JsonNode a : attempts) {
                    if (dial.attemptId().toString().equals(a.path("attempt").path("id").asString())) {
                        last = a;
                    }
                }
            }
            if (last != null && condition.test(last)) {
                return last;
            }
            TestApp.sleep(100);
        }
        throw new AssertionError("attempt " + dial.attemptId() + " for " + dial.to() + " not as expected: " + last);
    }

    // ------------------------------------------------------------------ agents

    private static Agent other(Agent agent) {
        return agents.values().stream().filter(a -> !a.equals(agent)).findFirst().orElseThrow();
    }

    private static boolean hasCall(Agent agent) {
        JsonNode call = agent.page().run("state", SIGNAL).path("call");
        return !call.isNull() && !call.isMissingNode();
    }

    private static String agentState(String user) {
        return app.agentState(user);
    }

    private static void awaitAgentState(String user, String state) {
        app.awaitAgentState(user, state, SIGNAL);
    }

    private static double aboveMedian(JsonNode tone, double hz) {
        return tone.path("levels").path(String.valueOf((int) hz)).asDouble() - tone.path("medianDb").asDouble();
    }

    private static long delta(JsonNode audio, String direction, String counter) {
        return audio.path("after").path(direction).path(counter).asLong() - audio.path("before").path(direction).path(counter).asLong();
    }

    private static long ms(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }
}
