package io.callcenter.dialer;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * @param tick               how often pacing looks at every campaign (agent state changes trigger it too)
 * @param inboxHold          webhooks wait this long in the inbox so events of one call delivered out of order
 *                           within it are applied in the order they occurred
 * @param inboxRetention     applied webhooks are deleted this long after they were applied (a week: enough to look
 *                           into an incident; set-aside ones stay)
 * @param adaptiveInterval   how often adaptive mode adjusts its ratio
 * @param defaultRegion      how lead lists' national numbers are read (ISO 3166)
 * @param greetingTimeout    how long after the answer a machine's message waits for the end of its greeting, which
 *                           the carrier may never report (with {@code detect_beep} it reports beeps only)
 * @param transferTimeout    how long after the human result a transfer may take to reach our Asterisk before the
 *                           person hears the safe-harbor message and the agent is freed
 * @param greetingSilence    the silence after a greeting that answering-machine detection waits for before it decides
 *                           (sent to Telnyx as after_greeting_silence_millis where the mode takes it, and recorded
 *                           with each attempt: the 2-second clock starts this long before the verdict)
 * @param carrierCallLimit   Telnyx's {@code time_limit_secs} for every dial (at most, and by default, its 4-hour cap):
 *                           the carrier ends the call this long after the dial, so the agent is warned before it
 *                           like before the team's talk-time limit (softphone calls over the SIP trunk are not
 *                           capped by Call Control and reach the team's limit, 6 h by default)
 * @param lawfulCallingHours the calling hours of the deployment's law in the called person's local time, which no
 *                           campaign may exceed: the TSR's 08:00-21:00 unless set ("HH:mm-HH:mm")
 */
@ConfigurationProperties("callcenter.dialer")
record DialerProperties(boolean enabled, Duration tick, Duration inboxHold, Duration adaptiveInterval, String defaultRegion,
                        Duration greetingTimeout, Duration transferTimeout, Duration greetingSilence,
                        String lawfulCallingHours, Duration inboxRetention, Duration carrierCallLimit) {

    /** Telnyx Call Control's default and largest {@code time_limit_secs}. */
    static final Duration CARRIER_MAX_CALL_LENGTH = Duration.ofHours(4);

    DialerProperties {
        tick = tick == null ? Duration.ofSeconds(1) : tick;
        inboxHold = inboxHold == null ? Duration.ofMillis(300) : inboxHold;
        inboxRetention = inboxRetention == null ? Duration.ofDays(7) : inboxRetention;
        adaptiveInterval = adaptiveInterval == null ? Duration.ofSeconds(15) : adaptiveInterval;
        defaultRegion = defaultRegion == null ? "US" : defaultRegion;
        greetingTimeout = greetingTimeout == null ? AttemptTimeouts.DEFAULT.greeting() : greetingTimeout;
        transferTimeout = transferTimeout == null ? AttemptTimeouts.DEFAULT.transfer() : transferTimeout;
        greetingSilence = greetingSilence == null ? Duration.ofMillis(800) : greetingSilence;
        lawfulCallingHours = lawfulCallingHours == null || lawfulCallingHours.isBlank() ? "08:00-21:00" : lawfulCallingHours;
        CallingHours.parse(lawfulCallingHours);
        carrierCallLimit = carrierCallLimit == null ? CARRIER_MAX_CALL_LENGTH : carrierCallLimit;
        if (carrierCallLimit.toSeconds() < 60 || carrierCallLimit.compareTo(CARRIER_MAX_CALL_LENGTH) > 0) {
            throw new IllegalArgumentException("callcenter.dialer.carrier-call-limit must be between 1 minute and 4 hours "
                    + "(Telnyx's largest time_limit_secs)");
        }
    }

    CallingHours lawfulHours() {
        return CallingHours.parse(lawfulCallingHours);
    }
}
