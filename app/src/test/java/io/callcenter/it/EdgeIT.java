package io.callcenter.it;

import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SIP edge of issue 17 at the SIP level, without the app: real Kamailio (kamailio-config/) in front of two real
 * Asterisk nodes. With no app connected a node answers every carrier call on its own (the dialplan's
 * {@code app-unavailable}: answer, "no service", hang up), which is all this test needs: which node answered (the
 * 200's Contact), and that the dialog passes the edge (its Record-Route) until the node's BYE ends it.
 */
class EdgeIT {

    private static final Duration SIGNAL = Duration.ofSeconds(15);

    private static TestCluster cluster;
    private static SipPhone carrier;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.get();
        carrier = TestCluster.carrier();
    }

    @AfterAll
    static void stop() {
        if (carrier != null) {
            carrier.close();
        }
    }

    @BeforeEach
    void everyNodeInTheRotation() {
        cluster.awaitAllNodesActive(Duration.ofSeconds(20));
    }

    @Test
    void forty_carrier_calls_spread_over_both_nodes_and_their_dialogs_pass_the_edge() {
        List<SipCall> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calls.add(carrier.call(TestApp.DEMO_DID));
        }
        Map<String, Integer> perNode = new TreeMap<>();
        for (SipCall call : calls) {
            call.awaitAnswered(SIGNAL);
            perNode.merge(TestCluster.answeringNode(call), 1, Integer::sum);
            assertThat(call.header("Record-Route")).as("Record-Route of %s", call.callId()).contains(TestCluster.EDGE);
        }
        for (SipCall call : calls) {
            // The node's BYE after its "no service" message reaches the carrier through the edge's route set.
            call.awaitEnded(SIGNAL);
            assertThat(call.endReason()).isEqualTo(SipCall.EndReason.REMOTE_BYE);
        }
        System.out.println("EdgeIT: 40 carrier calls per node " + perNode);
        assertThat(perNode).containsOnlyKeys(TestCluster.nodeAddress(1), TestCluster.nodeAddress(2));
        // Round robin: each node takes half, give or take the calls other tests' probes raced with.
        assertThat(perNode.values()).allSatisfy(count -> assertThat(count).isBetween(15, 25));
    }

    @Test
    void a_node_killed_with_sigkill_gets_no_new_call_and_takes_calls_again_once_back() {
        cluster.killNode(1);
        try {
            // Every call placed after the kill is answered, by node 2: before probing has noticed, the edge's
            // failover sends a call that node 1 never acknowledges on to node 2.
            for (int i = 0; i < 6; i++) {
                SipCall call = carrier.call(TestApp.DEMO_DID);
                call.awaitAnswered(SIGNAL);
                assertThat(TestCluster.answeringNode(call)).as("call %d after the kill", i).isEqualTo(TestCluster.nodeAddress(2));
                call.hangup();
            }
            assertThat(cluster.edgeView().get(TestCluster.nodeAddress(1))).as("node 1 at the edge").startsWith("I");
        } finally {
            cluster.startNode(1);
        }
        // Back: probing returns it to the rotation, and round robin gives it calls again.
        cluster.awaitAllNodesActive(Duration.ofSeconds(20));
        Map<String, Integer> perNode = new TreeMap<>();
        for (int i = 0; i < 4; i++) {
            SipCall call = carrier.call(TestApp.DEMO_DID);
            call.awaitAnswered(SIGNAL);
            perNode.merge(TestCluster.answeringNode(call), 1, Integer::sum);
            call.hangup();
        }
        assertThat(perNode).containsKey(TestCluster.nodeAddress(1));
    }
}
