package io.callcenter.it;

import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebRTC agent behind the SIP edge (issue 17): the softphone page in headless Chromium registers over WSS at the
 * edge (the URL the app's configuration gives it), and takes carrier calls that land on node 1 and on node 2. The edge
 * relays only signalling; ICE and DTLS-SRTP run between the browser and whichever node took the call.
 */
class EdgeWebrtcBrowserIT {

    private static final Duration SIGNAL = Duration.ofSeconds(15);
    private static final Path ARTIFACTS = TestAsterisk.repoDir().resolve("app/target/edge-webrtc-it");

    private static TestCluster cluster;
    private static TestApp app;
    private static SipPhone carrier;
    private static BrowserSoftphone page;

    @BeforeAll
    static void startSystem() {
        Path microphone = ARTIFACTS.resolve("agent-440hz.wav");
        BrowserSoftphone.writeToneWav(microphone, SoftphoneBrowserIT.AGENT_TONE, Duration.ofSeconds(10));
        cluster = TestCluster.get();
        app = cluster.startAppBehindEdge(true, Map.of(
                "callcenter.demo.agent-phone", "webrtc",
                "callcenter.softphone.ws-url", TestCluster.EDGE_WSS_URL,
                "callcenter.softphone.sip-domain", TestCluster.EDGE));
        cluster.awaitAllNodesActive(Duration.ofSeconds(20));
        carrier = TestCluster.carrier();
        page = BrowserSoftphone.start(app.baseUrl() + "/", microphone, ARTIFACTS.resolve("page"));
    }

    @AfterAll
    static void stop() {
        if (page != null) {
            page.close();
        }
        if (carrier != null) {
            carrier.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void a_browser_registered_at_the_edge_takes_calls_landing_on_either_node_with_audio_both_ways() {
        page.run("login", SIGNAL, "username", "bob", "password", TestApp.USER_PASSWORD);
        page.run("setAgentState", SIGNAL, "state", "AVAILABLE");
        Set<String> nodes = new TreeSet<>();
        // Round robin alternates the nodes; a few more calls in case a probe raced one.
        for (int i = 0; i < 4 && nodes.size() < 2; i++) {
            SipCall caller = carrier.call(TestApp.DEMO_DID);
            page.run("awaitIncoming", SIGNAL);
            page.run("answer", SIGNAL);
            caller.awaitAnswered(SIGNAL);
            String node = TestCluster.answeringNode(caller);
            nodes.add(node);
            caller.playTone(SoftphoneBrowserIT.FAR_END_TONE);
            SoftphoneBrowserIT.assertTwoWayAudio(page, caller, "call on node " + node);
            caller.hangup();
            JsonNode ended = page.run("awaitEnded", SIGNAL);
            assertThat(ended.path("wrapUp").path("callId").asString()).as("the page's wrap-up").isNotBlank();
            page.run("dispose", SIGNAL, "code", "ANSWERED");
            app.awaitAgentState("bob", "AVAILABLE", SIGNAL);
        }
        System.out.println("EdgeWebrtcBrowserIT: the browser took calls through the edge from nodes " + nodes);
        assertThat(nodes).containsExactly(TestCluster.nodeAddress(1), TestCluster.nodeAddress(2));
    }
}
