package io.callcenter.call;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * @param agentRingTimeout    how long an agent's phone rings before the next agent is tried
 * @param outboundRingTimeout how long an outbound or internal call rings; regulators ask for at least 15 s
 * @param trunkEndpoint       PJSIP endpoint of the carrier trunk (asterisk-config/pjsip.conf)
 * @param defaultRegion       how national numbers dialled by agents are read (ISO 3166 code)
 * @param noAgentSound        what an inbound caller hears when nobody of the team can answer
 * @param unknownNumberSound  what a caller hears for a number we do not serve or cannot dial
 * @param defaultMaxCall      talk time limit for calls without a team
 */
@ConfigurationProperties("callcenter.calls")
record CallProperties(
        Duration agentRingTimeout,
        Duration outboundRingTimeout,
        String trunkEndpoint,
        String defaultRegion,
        String noAgentSound,
        String unknownNumberSound,
        Duration defaultMaxCall) {

    CallProperties {
        agentRingTimeout = agentRingTimeout == null ? Duration.ofSeconds(20) : agentRingTimeout;
        outboundRingTimeout = outboundRingTimeout == null ? Duration.ofSeconds(60) : outboundRingTimeout;
        trunkEndpoint = trunkEndpoint == null ? "telnyx" : trunkEndpoint;
        defaultRegion = defaultRegion == null ? "US" : defaultRegion;
        noAgentSound = noAgentSound == null ? "sound:vm-nobodyavail" : noAgentSound;
        unknownNumberSound = unknownNumberSound == null ? "sound:ss-noservice" : unknownNumberSound;
        defaultMaxCall = defaultMaxCall == null ? Duration.ofHours(6) : defaultMaxCall;
    }
}
