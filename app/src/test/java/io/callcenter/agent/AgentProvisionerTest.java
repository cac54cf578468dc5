package io.callcenter.agent;

import io.callcenter.asterisk.AsteriskGateway;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** What each node is told about an agent's phone, with and without the SIP edge in front of the nodes. */
class AgentProvisionerTest {

    private final AgentRepository repository = mock(AgentRepository.class);
    private final AsteriskGateway asterisk = mock(AsteriskGateway.class);
    /** type/id -> fields, as pushed. */
    private final Map<String, Map<String, String>> pushed = new LinkedHashMap<>();

    AgentProvisionerTest() {
        doAnswer(call -> {
            pushed.put(call.getArgument(1) + "/" + call.getArgument(2), call.getArgument(3));
            return null;
        }).when(asterisk).putConfigObject(anyString(), anyString(), anyString(), any());
    }

    private void provision(EdgeProperties edge, Agent.Phone phone) {
        Agent agent = new Agent(UUID.randomUUID(), "1001", "Alice", UUID.randomUUID(), phone);
        when(repository.findAllEndpoints()).thenReturn(List.of(new AgentRepository.SipEndpoint(agent, "0123abcd")));
        new AgentProvisioner(repository, asterisk, edge).onConnected(null);
    }

    @Test
    void the_phones_are_subscribed_to_after_their_endpoints_exist_and_a_new_agents_phone_once_pushed() {
        when(asterisk.connected()).thenReturn(true);
        provision(new EdgeProperties(null, null), Agent.Phone.SIP);
        var order = org.mockito.Mockito.inOrder(asterisk);
        order.verify(asterisk).putConfigObject("res_pjsip", "endpoint", "1001", pushed.get("endpoint/1001"));
        order.verify(asterisk).subscribeEndpoints("PJSIP", List.of("1001"));

        Agent bob = new Agent(UUID.randomUUID(), "1002", "Bob", UUID.randomUUID(), Agent.Phone.SIP);
        AgentProvisioner provisioner = new AgentProvisioner(repository, asterisk, new EdgeProperties(null, null));
        provisioner.pushIfConnected(new AgentRepository.SipEndpoint(bob, "4567cdef"));
        provisioner.pushIfConnected(new AgentRepository.SipEndpoint(bob, "89abcdef"));
        order.verify(asterisk).putConfigObject("res_pjsip", "endpoint", "1002", pushed.get("endpoint/1002"));
        order.verify(asterisk).subscribeEndpoints("PJSIP", List.of("1002"));
        org.mockito.Mockito.verify(asterisk, org.mockito.Mockito.times(1)).subscribeEndpoints("PJSIP", List.of("1002"));
    }

    @Test
    void without_the_edge_the_phone_registers_at_asterisk_with_the_digest_hash() {
        provision(new EdgeProperties(null, null), Agent.Phone.SIP);
        assertThat(pushed.get("auth/1001")).containsEntry("md5_cred", "0123abcd");
        assertThat(pushed.get("aor/1001")).containsEntry("max_contacts", "1").doesNotContainKey("contact");
        assertThat(pushed.get("endpoint/1001")).containsEntry("auth", "1001");
    }

    @Test
    void behind_the_edge_the_node_takes_the_edges_registration_of_the_phone_and_does_not_challenge_it_again() {
        provision(new EdgeProperties("127.0.0.10:5060", 2), Agent.Phone.SIP);
        assertThat(pushed).doesNotContainKey("auth/1001");
        // No static contact: the edge registers the phone at every node (its contact the edge) the moment it
        // registers there, and one registration replaces the last.
        assertThat(pushed.get("aor/1001"))
                .doesNotContainKey("contact")
                .containsEntry("max_contacts", "1")
                .containsEntry("remove_existing", "yes")
                .containsEntry("qualify_frequency", "2");
        assertThat(pushed.get("endpoint/1001")).doesNotContainKey("auth").containsEntry("context", "from-agents")
                .containsEntry("mailboxes", "1001@callcenter");
    }

    @Test
    void a_browser_behind_the_edge_still_does_ice_and_dtls_with_the_node() {
        provision(new EdgeProperties("127.0.0.10:5060", null), Agent.Phone.WEBRTC);
        assertThat(pushed.get("aor/1001")).containsEntry("qualify_frequency", "10");
        assertThat(pushed.get("endpoint/1001")).containsEntry("webrtc", "yes").doesNotContainKey("auth")
                .doesNotContainKey("mailboxes");
    }
}
