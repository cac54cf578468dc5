package io.callcenter.voicemail;

import java.time.Duration;
import java.util.UUID;

/**
 * A voicemail box: an agent's ({@code agentId} set) or its team's (every agent of the team sees it).
 *
 * @param greeting         an Asterisk sound ({@code sound:...}); null: the uploaded greeting if there is one, else
 *                         Asterisk's stock "please leave a message"
 * @param greetingUploaded whether a WAV greeting was uploaded (played when {@code greeting} is null)
 */
public record VoicemailBox(UUID id, UUID teamId, UUID agentId, String name, String greeting, boolean greetingUploaded,
                           Duration maxMessage, Duration maxSilence) {

    /** What callers hear before the beep when the box has no greeting of its own. */
    public static final String STOCK_GREETING = "sound:vm-intro";

    /** The uploaded greeting's file in Asterisk's recording directory (without extension). */
    public static String greetingName(UUID boxId) {
        return "vm-greeting-" + boxId;
    }

    public String greetingMedia() {
        if (greeting != null) {
            return greeting;
        }
        return greetingUploaded ? "recording:" + greetingName(id) : STOCK_GREETING;
    }

    public boolean isTeamBox() {
        return agentId == null;
    }
}
