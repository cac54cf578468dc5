package io.callcenter.it;

import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recordings of a cluster (issue 17): every node writes into the one store the app reads
 * ({@code scripts/asterisk.sh}'s RECORDINGS_STORE), so a call recorded on node 2 is listed and downloaded exactly like
 * one on node 1. One recorded call on each node, with the consent announcement heard and a payment pause (sent to
 * the node the recording runs on); each downloaded through the API must hold both parties' tones of that call and
 * none of the card digits spoken during the pause.
 */
class ClusterRecordingIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration SIGNAL = Duration.ofSeconds(15);
    private static final Duration AUDIO = Duration.ofSeconds(6);
    private static final double CARD_DIGITS = 1500.0;
    /** Caller's and agent's tones per node: a file holding the other call's audio would fail. */
    private static final Map<String, double[]> TONES = Map.of(
            TestCluster.nodeAddress(1), new double[]{440.0, 700.0},
            TestCluster.nodeAddress(2), new double[]{550.0, 1100.0});

    private static TestCluster cluster;
    private static TestApp app;
    private static SipPhone carrier;
    /** Alice's phone, registered at the edge, through which either node's call reaches her. */
    private static SipPhone[] alice;

    @BeforeAll
    static void startSystem() {
        cluster = TestCluster.get();
        app = cluster.startAppBehindEdge(false, Map.of(
                "callcenter.calls.recordings-directory", cluster.recordingsStore().toString()));
        alice = new SipPhone[]{TestCluster.agentPhone("1001", TestApp.AGENT_PASSWORD, "127.0.0.61")};
        // The edge tells every node of her registration, but a node the app has not yet pushed her endpoint to
        // refuses it ("AOR not found") and learns it on the edge's next catch-up tick (2 s): a call landing there
        // before would find her unreachable. Calls start once both nodes have her.
        cluster.awaitContact(1, "1001", SIGNAL);
        cluster.awaitContact(2, "1001", SIGNAL);
        app.awaitAgentState("alice", "AVAILABLE", SIGNAL);
        carrier = TestCluster.carrier();
    }

    @AfterAll
    static void stop() {
        if (carrier != null) {
            carrier.close();
        }
        if (alice != null) {
            for (SipPhone phone : alice) {
                phone.close();
            }
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void a_call_recorded_on_each_node_is_downloadable_through_the_api_with_its_own_tones_and_the_pause_kept() {
        Map<String, String> callPerNode = new LinkedHashMap<>();
        for (int attempt = 0; attempt < 8 && callPerNode.size() < 2; attempt++) {
            SipCall customer = carrier.call(TestApp.DEMO_DID,
                    Map.of("P-Asserted-Identity", "<sip:+1555987" + String.format("%04d", attempt) + "@127.0.0.2>"));
            SipCall atAgent = ringing().awaitIncomingCall(Duration.ZERO);
            atAgent.answer();
            customer.awaitAnswered(SIGNAL);
            String node = TestCluster.answeringNode(customer);
            String callId = latestCallId();
            if (!callPerNode.containsKey(node)) {
                talkWithPaymentPause(customer, atAgent, callId, TONES.get(node));
                callPerNode.put(node, callId);
            }
            customer.hangup();
            atAgent.awaitEnded(SIGNAL);
            app.awaitAgentState("alice", "AVAILABLE", SIGNAL);
        }
        assertThat(callPerNode).as("a call answered on each node").containsOnlyKeys(TONES.keySet());

        callPerNode.forEach((node, callId) -> {
            JsonNode call = new CallRecords(app).awaitCall(callId, "admin", CallRecords::endedWithRecording, SIGNAL,
                    "ENDED with a recording");
            assertThat(ConferenceRecordingIT.events(call)).as("call on %s", node)
                    .containsSubsequence("recording started", "recording paused", "recording resumed");
            assertThat(Files.isRegularFile(cluster.recordingsStore().resolve("call-" + callId + ".wav")))
                    .as("the recording of the call on %s is in the one store", node).isTrue();
            WavFile recording = WavFile.parse(app.download("/api/calls/" + callId + "/recording", "alice"));
            double[] tones = TONES.get(node);
            assertThat(recording.hasStretchWithAll(tones[0], tones[1])).as("both parties on %s's recording", node).isTrue();
            assertThat(recording.anyStretchWith(CARD_DIGITS)).as("no card digits on %s's recording", node).isFalse();
            assertThat(recording.longestSilence(50)).as("the pause is a gap in %s's recording", node).isGreaterThan(1.5);
        });
        System.out.println("ClusterRecordingIT: one recorded call per node, downloaded from the store: " + callPerNode);
    }

    /** Consent heard, both talk, the agent pauses the recording while the customer reads the card, then resumes. */
    private static void talkWithPaymentPause(SipCall customer, SipCall atAgent, String callId, double[] tones) {
        TestApp.sleep(1500);
        assertThat(CallFlowsIT.rms(customer.receivedAudio(Duration.ofMillis(1200)))).as("customer hears the announcement")
                .isGreaterThan(300);
        TestApp.sleep(1500);
        customer.playTone(tones[0]);
        atAgent.playTone(tones[1]);
        assertThat(atAgent.awaitHearing(tones[0], AUDIO)).isTrue();
        assertThat(customer.awaitHearing(tones[1], AUDIO)).isTrue();
        TestApp.sleep(1500);
        assertThat(app.request("POST", "/api/calls/" + callId + "/recording/pause", null, app.token("alice"))
                .statusCode()).isEqualTo(200);
        atAgent.playSilence();
        customer.playTone(CARD_DIGITS);
        assertThat(atAgent.awaitHearing(CARD_DIGITS, AUDIO)).as("the agent still hears the card digits").isTrue();
        TestApp.sleep(2000);
        customer.playTone(tones[0]);
        atAgent.playTone(tones[1]);
        // Resumed once the card digits are over at the agent's ear, as an agent would: what the bridge still held
        // of them (about 100 ms on a loaded machine) would otherwise be written after the resume.
        assertThat(atAgent.awaitHearing(tones[0], AUDIO)).isTrue();
        assertThat(app.request("POST", "/api/calls/" + callId + "/recording/resume", null, app.token("alice"))
                .statusCode()).isEqualTo(200);
        TestApp.sleep(2000);
    }

    private static SipPhone ringing() {
        long deadline = System.nanoTime() + SIGNAL.toNanos();
        while (System.nanoTime() < deadline) {
            for (SipPhone phone : alice) {
                if (phone.hasIncomingCall()) {
                    return phone;
                }
            }
            TestApp.sleep(20);
        }
        throw new AssertionError("alice's phones never rang");
    }

    private static String latestCallId() {
        JsonNode page = JSON.readTree(app.request("GET", "/api/calls?limit=1", null, app.token("alice")).body());
        return page.path("items").get(0).path("id").asString();
    }
}
