package io.callcenter.dialer;

import java.time.Duration;

/**
 * How long the dialer waits for what the carrier may never send.
 *
 * @param silentCarrier no word at all about a dial (ring timeout plus a margin)
 * @param greeting      a machine's greeting to end, from the answer: {@code detect_beep} reports only beeps
 * @param transfer      the transferred person to reach our Asterisk, from the human result
 * @param message       a message (safe harbor, voicemail) to be reported played, from its start
 * @param preview       an agent to choose Dial or Skip for a lead offered in preview (then the lead goes back), and
 *                      their page to place the call once they chose Dial
 */
record AttemptTimeouts(Duration silentCarrier, Duration greeting, Duration transfer, Duration message, Duration preview) {

    static final Duration PREVIEW = Duration.ofSeconds(90);

    static final AttemptTimeouts DEFAULT = new AttemptTimeouts(Duration.ofSeconds(115), Duration.ofSeconds(45),
            Duration.ofSeconds(10), Duration.ofSeconds(120), PREVIEW);

    AttemptTimeouts(Duration silentCarrier, Duration greeting, Duration transfer, Duration message) {
        this(silentCarrier, greeting, transfer, message, PREVIEW);
    }
}
