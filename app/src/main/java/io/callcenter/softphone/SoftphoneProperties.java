package io.callcenter.softphone;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;

/**
 * How browsers reach Asterisk.
 *
 * @param wsUrl      Asterisk's SIP-over-WebSocket URL (http.conf's /ws; wss:// behind TLS in production)
 * @param sipDomain  the domain of agents' SIP URIs
 * @param iceServers STUN/TURN URLs for agents behind NAT (none needed on one host or a flat network)
 */
@ConfigurationProperties("callcenter.softphone")
record SoftphoneProperties(String wsUrl, String sipDomain, List<String> iceServers) {

    SoftphoneProperties {
        wsUrl = wsUrl == null ? "ws://127.0.0.1:8088/ws" : wsUrl;
        sipDomain = sipDomain == null ? "127.0.0.1" : sipDomain;
        iceServers = iceServers == null ? List.of() : List.copyOf(iceServers);
    }
}
