package io.callcenter.it;

import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app on two Asterisk nodes behind the Kamailio edge (issue 17): one app connected to both nodes' ARI, the
 * carrier's calls spread by the edge, each call's commands sent to the node it landed on, and a node killed with
 * SIGKILL: its calls closed as {@code media_node_lost}, their agents freed, new calls through the other node.
 *
 * <p>Agents must be reachable from either node: each agent's phone registers once, at the edge (the nodes take SIP
 * from the edge only), and whichever node takes a carrier call rings the agent through the edge
 * (kamailio-config/README.md, "Agents").
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration SIGNAL = Duration.ofSeconds(15);
    private static final Duration AUDIO = Duration.ofSeconds(5);
    private static final double CALLER_TONE = 700.0;
    private static final double AGENT_TONE = 1200.0;
    /** Demo agents of the demo number's team, plus agents made here: one call each per round. */
    private static final int AGENTS = 10;

    private static TestCluster cluster;
    private static TestApp app;
    private static SipPhone carrier;
    /** Each agent's phone, registered at the edge. */
    private static final Map<String, SipPhone> agentPhones = new LinkedHashMap<>();
    private static final Map<String, String> sipPasswords = new LinkedHashMap<>();
    private static final Map<String, String> users = new LinkedHashMap<>();

    @BeforeAll
    static void startSystem() {
        cluster = TestCluster.get();
        app = cluster.startAppBehindEdge(false, Map.of(
                // Ten agents on two nodes: a qualify every 3 s is plenty.
                "callcenter.edge.qualify-seconds", "3",
                "callcenter.ari.node-lost-after", "2s",
                "logging.level.io.callcenter.asterisk.cluster", "DEBUG"));
        String psychology = JSON.readTree(app.request("GET", "/api/me", null, app.token("maria")).body())
                .path("teamId").asString();
        for (String[] demo : new String[][]{{"1001", "alice"}, {"1002", "bob"}, {"1003", "dave"}}) {
            sipPasswords.put(demo[0], TestApp.AGENT_PASSWORD);
            users.put(demo[0], demo[1]);
        }
        for (int i = sipPasswords.size(); i < AGENTS; i++) {
            String extension = "10" + (11 + i);
            String username = "edge" + extension;
            HttpResponse<String> created = app.request("POST", "/api/admin/users", """
                    {"username":"%s","displayName":"Agent %s","role":"agent","teamId":"%s","password":"%s",
                     "agent":{"extension":"%s","phone":"sip"}}""".formatted(username, extension, psychology,
                    TestApp.USER_PASSWORD, extension), app.token("admin"));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            sipPasswords.put(extension, JSON.readTree(created.body()).path("agent").path("sipPassword").asString());
            users.put(extension, username);
        }
        int address = 40;
        for (String extension : sipPasswords.keySet()) {
            String host = "127.0.0." + address++;
            agentPhones.put(extension, TestCluster.agentPhone(extension, sipPasswords.get(extension), host));
        }
        for (String user : users.values()) {
            app.awaitAgentState(user, "AVAILABLE", SIGNAL);
        }
        carrier = TestCluster.carrier();
    }

    @AfterAll
    static void stop() {
        if (carrier != null) {
            carrier.close();
        }
        agentPhones.values().forEach(SipPhone::close);
        if (app != null) {
            app.close();
        }
    }

    @Test
    @Order(1)
    void forty_carrier_calls_spread_over_both_nodes_each_reaching_an_agent_with_audio_both_ways() {
        Map<String, Integer> perNode = new TreeMap<>();
        for (int round = 0; round < 4; round++) {
            List<Connected> connected = connect(AGENTS);
            for (Connected call : connected) {
                perNode.merge(call.node(), 1, Integer::sum);
                assertAudioBothWays(call);
            }
            connected.forEach(call -> call.caller().hangup());
            connected.forEach(call -> call.agent().awaitEnded(SIGNAL));
            for (String user : users.values()) {
                app.awaitAgentState(user, "AVAILABLE", SIGNAL);
            }
        }
        System.out.println("ClusterIT: 40 calls connected to agents, per node " + perNode);
        assertThat(perNode.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(40);
        assertThat(perNode).containsOnlyKeys(TestCluster.nodeAddress(1), TestCluster.nodeAddress(2));
        assertThat(perNode.values()).allSatisfy(count -> assertThat(count).isGreaterThanOrEqualTo(10));
    }

    @Test
    @Order(2)
    void a_node_killed_mid_run_closes_its_calls_as_media_node_lost_frees_their_agents_and_new_calls_go_to_the_other() {
        List<Connected> connected = connect(6);
        List<Connected> onFirst = connected.stream().filter(c -> c.node().equals(TestCluster.nodeAddress(1))).toList();
        List<Connected> onSecond = connected.stream().filter(c -> c.node().equals(TestCluster.nodeAddress(2))).toList();
        assertThat(onFirst).as("calls on node 1").isNotEmpty();
        assertThat(onSecond).as("calls on node 2").isNotEmpty();
        connected.forEach(ClusterIT::assertAudioBothWays);
        Instant killed = Instant.now();
        cluster.killNode(1);
        try {
            // Node 2's calls keep their audio: the app's loss of node 1 is none of their business.
            for (Connected call : onSecond) {
                call.caller().playTone(CALLER_TONE + 100);
                assertThat(call.agent().awaitHearing(CALLER_TONE + 100, AUDIO)).as("node 2 call after the kill").isTrue();
            }
            // Node 1's calls are closed by the app with the reason, and their agents are free again.
            List<JsonNode> lost = awaitCallsLost(onFirst.size(), killed);
            assertThat(lost).hasSize(onFirst.size());
            for (Connected call : onFirst) {
                app.awaitAgentState(call.user(), "AVAILABLE", SIGNAL);
            }
            // Every new call reaches an agent, through node 2.
            List<Connected> after = connect(4);
            assertThat(after).allSatisfy(call -> assertThat(call.node()).isEqualTo(TestCluster.nodeAddress(2)));
            after.forEach(ClusterIT::assertAudioBothWays);
            after.forEach(call -> call.caller().hangup());
            onSecond.forEach(call -> call.caller().hangup());
            for (String user : users.values()) {
                app.awaitAgentState(user, "AVAILABLE", SIGNAL);
            }
            System.out.println("ClusterIT: node 1 killed with " + onFirst.size() + " call(s), " + onSecond.size()
                    + " on node 2 kept audio; 4 new calls through node 2");
        } finally {
            onFirst.forEach(call -> call.agent().hangup());
            cluster.startNode(1);
            cluster.awaitAllNodesActive(Duration.ofSeconds(20));
        }
    }

    /**
     * Places {@code count} carrier calls at once, each from a number of its own (P-Asserted-Identity, which the
     * trunk trusts), and answers each at the agent phone that rings with that number.
     */
    private static List<Connected> connect(int count) {
        Map<String, SipCall> callers = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String number = "+1555123" + String.format("%04d", nextCaller++);
            callers.put(number, carrier.call(TestApp.DEMO_DID,
                    Map.of("P-Asserted-Identity", "<sip:" + number + "@127.0.0.2>")));
        }
        List<Connected> connected = new ArrayList<>();
        Instant deadline = Instant.now().plus(SIGNAL);
        while (connected.size() < count) {
            assertThat(Instant.now()).as("%d of %d agents rung", connected.size(), count).isBefore(deadline);
            agentPhones.forEach((extension, phone) -> {
                if (phone.hasIncomingCall()) {
                    SipCall atAgent = phone.awaitIncomingCall(Duration.ZERO);
                    SipCall caller = callers.get(atAgent.fromUser());
                    assertThat(caller).as("the caller ringing %s: %s", extension, atAgent.fromUser()).isNotNull();
                    atAgent.answer();
                    caller.awaitAnswered(SIGNAL);
                    connected.add(new Connected(caller, atAgent, TestCluster.answeringNode(caller), users.get(extension)));
                }
            });
            TestApp.sleep(20);
        }
        return connected;
    }

    private static int nextCaller = 0;

    private static void assertAudioBothWays(Connected call) {
        call.caller().playTone(CALLER_TONE);
        call.agent().playTone(AGENT_TONE);
        // Each fails with what it heard instead (tone analysis, packets, remote address).
        call.agent().assertHears(CALLER_TONE, AUDIO);
        call.caller().assertHears(AGENT_TONE, AUDIO);
        call.caller().stopAudio();
        call.agent().stopAudio();
    }

    /** The app's call records of calls that ended with a leg lost with its node, once there are {@code expected}. */
    private static List<JsonNode> awaitCallsLost(int expected, Instant since) {
        Instant deadline = Instant.now().plus(SIGNAL);
        while (true) {
            List<JsonNode> lost = new ArrayList<>();
            for (JsonNode item : JSON.readTree(app.get("/api/calls?limit=50").body()).path("items")) {
                JsonNode call = JSON.readTree(app.get("/api/calls/" + item.path("id").asString()).body());
                boolean nodeLost = false;
                for (JsonNode leg : call.path("legs")) {
                    nodeLost |= leg.toString().contains("media_node_lost");
                }
                if (nodeLost) {
                    lost.add(call);
                }
            }
            if (lost.size() >= expected || Instant.now().isAfter(deadline)) {
                return lost;
            }
            TestApp.sleep(250);
        }
    }

    private record Connected(SipCall caller, SipCall agent, String node, String user) {
    }
}
