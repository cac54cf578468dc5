package io.callcenter.it;

import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipException;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Agents' phones at the SIP edge (issue 17): they register only at the edge (Kamailio's registrar, authenticated with
 * the app's digest hashes through the read-only view), every node rings them through it, they call out through it,
 * and the app shows them online exactly while they are registered there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EdgeAgentsIT {

    private static final Duration SIGNAL = Duration.ofSeconds(15);
    private static final Duration AUDIO = Duration.ofSeconds(5);
    /**
     * Presence and reachability here come from the edge telling every node of each registration, not from the nodes'
     * qualify: it is set to an hour in this class, so a node that had to wait for its next qualify would never see
     * a phone registered after the app started.
     */
    private static final Duration PRESENCE = Duration.ofSeconds(12);
    private static final String QUALIFY_LONGER_THAN_THE_TEST = "3600";
    private static final double CALLER_TONE = 700.0;
    private static final double AGENT_TONE = 1200.0;

    private static TestCluster cluster;
    private static TestApp app;
    private static SipPhone carrier;
    private static SipPhone alice;

    @BeforeAll
    static void startSystem() {
        cluster = TestCluster.get();
        app = cluster.startAppBehindEdge(false, Map.of("callcenter.edge.qualify-seconds", QUALIFY_LONGER_THAN_THE_TEST));
        cluster.awaitAllNodesActive(Duration.ofSeconds(20));
        carrier = TestCluster.carrier();
    }

    private static void assertAudioBothWays(SipCall carrierSide, SipCall agentSide) {
        carrierSide.playTone(CALLER_TONE);
        agentSide.playTone(AGENT_TONE);
        agentSide.assertHears(CALLER_TONE, AUDIO);
        carrierSide.assertHears(AGENT_TONE, AUDIO);
    }

    /** The final answer to a REGISTER from {@code host}: its status, 408 from the testkit when none came. */
    private static int registrationStatus(String extension, String password, String host) {
        SipPhone phone = SipPhone.start(SipPhone.Config.builder()
                .name("guess-" + extension).bindAddress(host).bindPort(0).transactionTimeout(Duration.ofSeconds(2))
                .server(TestCluster.EDGE, 5060).username(extension).password(password).build());
        try {
            phone.register();
            return 200;
        } catch (SipException refused) {
            return refused.status();
        } finally {
            phone.close();
        }
    }

    @AfterAll
    static void stop() {
        if (alice != null) {
            alice.close();
        }
        if (carrier != null) {
            carrier.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    @Order(1)
    void an_agent_shows_online_while_registered_at_the_edge_and_offline_once_unregistered() {
        app.awaitAgentState("alice", "OFFLINE", PRESENCE);
        alice = TestCluster.agentPhone("1001", TestApp.AGENT_PASSWORD, "127.0.0.41");
        app.awaitAgentState("alice", "AVAILABLE", PRESENCE);
        alice.unregister();
        app.awaitAgentState("alice", "OFFLINE", PRESENCE);
        alice.register();
        app.awaitAgentState("alice", "AVAILABLE", PRESENCE);
    }

    @Test
    @Order(2)
    void a_wrong_password_is_refused_and_an_unregistered_phone_cannot_call() {
        // A wrong password and an extension that does not exist get the same answer: nothing to learn.
        assertThat(registrationStatus("1002", "not-the-password-0001", "127.0.0.42")).isEqualTo(403);
        assertThat(registrationStatus("9999", "not-the-password-0001", "127.0.0.42")).isEqualTo(403);
        // bob's right password, but his phone never registered: the edge refuses the call itself.
        SipPhone bob = SipPhone.start(SipPhone.Config.builder()
                .name("bob-unregistered").bindAddress("127.0.0.43").bindPort(0)
                .server(TestCluster.EDGE, 5060).username("1002").password(TestApp.AGENT_PASSWORD).build());
        try {
            SipCall call = bob.call("+15557654321");
            call.awaitEnded(SIGNAL);
            assertThat(call.answeredAt()).isNull();
            assertThat(call.finalStatus()).isEqualTo(403);
        } finally {
            bob.close();
        }
        app.awaitAgentState("bob", "OFFLINE", PRESENCE);
    }

    @Test
    @Order(3)
    void an_address_guessing_passwords_is_silenced_after_five_failures_even_with_the_right_one() {
        for (int i = 0; i < 5; i++) {
            assertThat(registrationStatus("1003", "guess-" + i + "-000000000", "127.0.0.44")).as("guess %d", i).isEqualTo(403);
        }
        // No answer at all now (the testkit's own 408 after its transaction timeout), whatever the password.
        assertThat(registrationStatus("1003", TestApp.AGENT_PASSWORD, "127.0.0.44")).isEqualTo(408);
        // Another address is not affected.
        SipPhone dave = TestCluster.agentPhone("1003", TestApp.AGENT_PASSWORD, "127.0.0.45");
        dave.unregister();
        dave.close();
        // dave out of the way again: the team's calls below are alice's.
        app.awaitAgentState("dave", "OFFLINE", PRESENCE);
    }

    @Test
    @Order(4)
    void carrier_calls_landing_on_either_node_reach_the_agent_through_the_edge_with_audio_both_ways() {
        // No waiting for the nodes: alice registered again in the first test, and neither node has qualified her
        // since (an hour apart); the edge's registration at each node is what lets both ring her.
        app.awaitAgentState("alice", "AVAILABLE", PRESENCE);
        Set<String> nodes = new TreeSet<>();
        // Round robin: consecutive calls alternate between the nodes; a few more in case a probe raced one.
        for (int i = 0; i < 6 && nodes.size() < 2; i++) {
            nodes.add(carrierCallAnsweredByAlice(i));
        }
        System.out.println("EdgeAgentsIT: carrier calls reached the agent through the edge from nodes " + nodes);
        assertThat(nodes).containsExactly(TestCluster.nodeAddress(1), TestCluster.nodeAddress(2));
    }

    /** A carrier call that alice answers, audio both ways; the node it landed on. */
    private static String carrierCallAnsweredByAlice(int i) {
        SipCall caller = carrier.call(TestApp.DEMO_DID,
                Map.of("P-Asserted-Identity", "<sip:+1555123900" + i + "@127.0.0.2>"));
        SipCall atAgent = alice.awaitIncomingCall(SIGNAL);
        atAgent.answer();
        caller.awaitAnswered(SIGNAL);
        String node = TestCluster.answeringNode(caller);
        // The node rang the agent at the edge (its Record-Route), not the phone directly.
        assertThat(atAgent.header("Record-Route")).as("call via %s", node).contains(TestCluster.EDGE);
        assertAudioBothWays(caller, atAgent);
        caller.hangup();
        atAgent.awaitEnded(SIGNAL);
        app.awaitOffCall("alice", SIGNAL);
        app.awaitAgentState("alice", "AVAILABLE", SIGNAL);
        return node;
    }

    @Test
    @Order(5)
    void an_agents_call_goes_through_the_edge_to_a_node_and_out_to_the_carrier_with_audio() {
        SipCall outgoing = alice.call("+15557654321");
        SipCall atCarrier = carrier.awaitIncomingCall(SIGNAL);
        assertThat(atCarrier.requestUri()).contains("+15557654321");
        atCarrier.answer();
        outgoing.awaitAnswered(SIGNAL);
        assertAudioBothWays(atCarrier, outgoing);
        atCarrier.hangup();
        outgoing.awaitEnded(SIGNAL);
        assertThat(outgoing.endReason()).isEqualTo(SipCall.EndReason.REMOTE_BYE);
    }

    @Test
    @Order(6)
    void a_node_restarted_learns_the_registrations_made_while_it_was_down() {
        alice.unregister();
        app.awaitAgentState("alice", "OFFLINE", PRESENCE);
        // Stopped cleanly, so its database surely kept no contact of alice (a SIGKILL may lose its last second).
        cluster.stopNode(2);
        try {
            // Only node 1 hears of this registration; node 2's own database has none of alice left.
            alice.register();
            app.awaitAgentState("alice", "AVAILABLE", PRESENCE);
        } finally {
            cluster.startNode(2);
        }
        cluster.awaitAllNodesActive(Duration.ofSeconds(30));
        // Calls landing on node 2 need the app there again (a call before that fails: no Stasis application).
        cluster.awaitAppOn(2, Duration.ofSeconds(30));
        // The edge tells a node back in the rotation every registration on its next ticks (kamailio.cfg, catchup).
        cluster.awaitContact(2, "1001", Duration.ofSeconds(20));
        String node = null;
        for (int i = 6; i < 12 && !TestCluster.nodeAddress(2).equals(node); i++) {
            node = carrierCallAnsweredByAlice(i);
        }
        assertThat(node).as("a call through the restarted node").isEqualTo(TestCluster.nodeAddress(2));
    }
}
