package io.callcenter.agent;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Agents' phones behind the SIP edge (issue 17, kamailio-config/README.md): they register at the edge, not at the
 * Asterisk nodes, and every node reaches an agent through it.
 *
 * @param sipAddress     the edge's SIP address as the nodes reach it ({@code host:port}); set, the nodes take the
 *                       agents' registrations from the edge (which names itself their contact); unset, phones
 *                       register at Asterisk itself (the single Asterisk, as before the cluster)
 * @param qualifySeconds how often each node asks the agent's phone, through the edge, whether it is there: the most
 *                       an agent stays online after their phone went away without unregistering (plus the 3 s a
 *                       question may take); registering and unregistering reach every node at once, not by this
 */
@ConfigurationProperties("callcenter.edge")
record EdgeProperties(String sipAddress, Integer qualifySeconds) {

    EdgeProperties {
        sipAddress = sipAddress == null || sipAddress.isBlank() ? null : sipAddress.strip();
        qualifySeconds = qualifySeconds == null ? 10 : qualifySeconds;
    }

    boolean enabled() {
        return sipAddress != null;
    }
}
