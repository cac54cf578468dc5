package io.callcenter.call.model;

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
 * @param limitWarning        how long before a team's talk-time limit everyone hears the warning
 * @param limitWarningSound   what they hear
 * @param maxDialsPerMinute   calls one agent may place in a minute (toll-fraud and runaway-script protection)
 * @param recordingsDirectory where Asterisk writes recordings (its spool's recording directory, seen from the app)
 * @param holdSound           what a customer hears while their call is being transferred
 * @param partyFailedSound    what the parties hear when a party could not be added or a transfer failed
 * @param recordingRetention  how long recordings are kept; zero keeps them forever
 * @param safeHarborSound     what a dialled person hears when no agent can take them (campaigns should record their
 *                            own, with the seller's name and a callback number)
 */
@ConfigurationProperties("callcenter.calls")
public record CallProperties(
        Duration agentRingTimeout,
        Duration outboundRingTimeout,
        String trunkEndpoint,
        String defaultRegion,
        String noAgentSound,
        String unknownNumberSound,
        Duration defaultMaxCall,
        Duration limitWarning,
        String limitWarningSound,
        Integer maxDialsPerMinute,
        java.nio.file.Path recordingsDirectory,
        String holdSound,
        String partyFailedSound,
        Duration recordingRetention,
        String safeHarborSound) {

    public CallProperties {
        agentRingTimeout = agentRingTimeout == null ? Duration.ofSeconds(20) : agentRingTimeout;
        outboundRingTimeout = outboundRingTimeout == null ? Duration.ofSeconds(60) : outboundRingTimeout;
        trunkEndpoint = trunkEndpoint == null ? "telnyx" : trunkEndpoint;
        defaultRegion = defaultRegion == null ? "US" : defaultRegion;
        noAgentSound = noAgentSound == null ? "sound:vm-nobodyavail" : noAgentSound;
        unknownNumberSound = unknownNumberSound == null ? "sound:ss-noservice" : unknownNumberSound;
        defaultMaxCall = defaultMaxCall == null ? Duration.ofHours(6) : defaultMaxCall;
        limitWarning = limitWarning == null ? Duration.ofMinutes(1) : limitWarning;
        limitWarningSound = limitWarningSound == null ? "sound:beep" : limitWarningSound;
        maxDialsPerMinute = maxDialsPerMinute == null ? 20 : maxDialsPerMinute;
        safeHarborSound = safeHarborSound == null ? "sound:vm-nobodyavail" : safeHarborSound;
        holdSound = holdSound == null ? "sound:pls-hold-while-try" : holdSound;
        partyFailedSound = partyFailedSound == null ? "sound:cannot-complete-as-dialed" : partyFailedSound;
        recordingRetention = recordingRetention == null ? Duration.ZERO : recordingRetention;
        recordingsDirectory = (recordingsDirectory == null ? java.nio.file.Path.of(".run/asterisk/spool/recording")
                : recordingsDirectory).toAbsolutePath().normalize();
    }

    /** The channel that reaches a number through the carrier trunk. */
    public String trunkChannel(String number) {
        return "PJSIP/" + number + "@" + trunkEndpoint;
    }
}
