package io.callcenter.agent;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.AsteriskEventListener;
import io.callcenter.asterisk.AsteriskGateway;
import io.callcenter.asterisk.AsteriskInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps Asterisk's PJSIP agent endpoints equal to our agent table, through ARI push configuration.
 *
 * <p>Why push configuration: agents are created by the app at any time and a PJSIP reload is not needed (or
 * wanted: it can disturb live calls). The objects live in sorcery's memory wizard, so Asterisk forgets them when it
 * restarts; we push them all again on every (re)connect, before any call can be routed to them.
 */
@Component
// First of the listeners: the endpoints must exist before the phones are subscribed to and listed (EndpointStates).
@Order(Ordered.HIGHEST_PRECEDENCE)
class AgentProvisioner implements AsteriskEventListener {

    private static final Logger log = LoggerFactory.getLogger(AgentProvisioner.class);
    private static final String PJSIP = "res_pjsip";

    private final AgentRepository agents;
    private final AsteriskGateway asterisk;
    private final EdgeProperties edge;
    private final PhoneSubscriptions phones;

    AgentProvisioner(AgentRepository agents, AsteriskGateway asterisk, EdgeProperties edge) {
        this.agents = agents;
        this.asterisk = asterisk;
        this.edge = edge;
        this.phones = new PhoneSubscriptions(asterisk);
    }

    @Override
    public void onConnected(AsteriskInfo info) {
        // Runs before the event stream delivers anything, so no call can look for an endpoint not pushed yet.
        var all = agents.findAllEndpoints();
        all.forEach(this::push);
        log.info("Pushed {} agent SIP endpoints to Asterisk", all.size());
        phones.subscribeAll(all.stream().map(endpoint -> endpoint.agent().extension()).toList());
    }

    @Override
    public void onEvent(AsteriskEvent event) {
        // Agent endpoints do not depend on call events.
    }

    @Override
    public void onDisconnected() {
        // Nothing to do: everything is pushed again on reconnect.
    }

    void pushIfConnected(AgentRepository.SipEndpoint endpoint) {
        if (asterisk.connected()) {
            push(endpoint);
            phones.subscribeNew(endpoint.agent().extension());
        }
    }

    private void push(AgentRepository.SipEndpoint endpoint) {
        Agent agent = endpoint.agent();
        String id = agent.extension();
        Map<String, String> fields = ordered(
                "context", "from-agents",
                "aors", id,
                "callerid", agent.displayName() + " <" + id + ">",
                "direct_media", "no",
                "rtp_symmetric", "yes",
                // Lets our own header (auto-answer of click-to-dial calls) reach the phone; see CallEngine.
                "disallow", "all");
        if (edge.enabled()) {
            pushAorBehindEdge(id);
        } else {
            asterisk.putConfigObject(PJSIP, "auth", id, ordered(
                    // Only the digest hash is stored and pushed (MD5 of user:realm:password), never the password.
                    "auth_type", "md5",
                    "username", id,
                    "realm", SipDigest.REALM,
                    "md5_cred", endpoint.md5Cred()));
            asterisk.putConfigObject(PJSIP, "aor", id, ordered(
                    // One device per agent: a new registration replaces the old one instead of ringing both.
                    "max_contacts", "1",
                    "remove_existing", "yes",
                    // Qualify so a phone that vanished without unregistering stops counting as available.
                    "qualify_frequency", "30"));
            fields.put("auth", id);
            fields.put("force_rport", "yes");
            fields.put("rewrite_contact", "yes");
        }
        if (agent.phone() == Agent.Phone.WEBRTC) {
            // webrtc=yes turns on what browsers require: ICE, AVPF, rtcp-mux and DTLS-SRTP with a certificate
            // generated at start (no files to manage). Browsers speak Opus; G.711 stays for transcoding-free trunks.
            // Behind the edge too: the edge relays only the browser's signalling (WSS there, UDP to the node), the
            // node does ICE and DTLS-SRTP with the browser itself.
            fields.put("webrtc", "yes");
            fields.put("dtls_auto_generate_cert", "yes");
            fields.put("allow", "opus,ulaw");
            fields.put("dtmf_mode", "auto");
        } else {
            // webrtc=yes set all of these when the extension was a browser's; pushing an update keeps what it does not
            // name, so a desk phone would be offered DTLS-SRTP and ICE it cannot speak and hear nothing.
            fields.put("webrtc", "no");
            fields.put("use_avpf", "no");
            fields.put("media_encryption", "no");
            fields.put("ice_support", "no");
            fields.put("rtcp_mux", "no");
            fields.put("media_use_received_transport", "no");
            fields.put("dtls_auto_generate_cert", "no");
            fields.put("allow", "ulaw,alaw");
            fields.put("dtmf_mode", "rfc4733");
            // Message waiting (voicemail): Asterisk sends the phone unsolicited NOTIFYs for this mailbox, whose
            // counts the voicemail module publishes.
            fields.put("mailboxes", id + "@callcenter");
        }
        asterisk.putConfigObject(PJSIP, "endpoint", id, fields);
    }

    /**
     * Behind the edge the phone registers there, and the edge registers it at every node at once on its behalf, with
     * the edge as the contact ({@code sip:<extension>@<edge>}, which finds the phone): the moment the phone registers,
     * unregisters or lapses, every node has, or no longer has, a contact to ring (kamailio-config/README.md,
     * "Agents"). No auth and no challenge on the node: the edge authenticated the phone with the same hash, and a
     * node takes SIP from the edge alone (scripts/asterisk.sh's ACL). No contact rewriting either: the phone's
     * requests come from the edge, which keeps itself in their route. Qualifying the contact asks the phone itself
     * through the edge, which stays silent for a phone not registered: a phone that vanished without unregistering
     * goes offline within one interval.
     */
    private void pushAorBehindEdge(String id) {
        asterisk.putConfigObject(PJSIP, "aor", id, ordered(
                "max_contacts", "1",
                "remove_existing", "yes",
                "qualify_frequency", String.valueOf(edge.qualifySeconds())));
    }

    private static Map<String, String> ordered(String... keyValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            fields.put(keyValues[i], keyValues[i + 1]);
        }
        return fields;
    }
}
