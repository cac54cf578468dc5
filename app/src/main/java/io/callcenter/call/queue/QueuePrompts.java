package io.callcenter.call.queue;

import io.callcenter.asterisk.AsteriskException;
import io.callcenter.asterisk.AsteriskGateway.HangupReason;
import io.callcenter.call.command.CallCommand;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.Leg;
import io.callcenter.call.parties.Parties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a waiting caller hears from the queue alone, without leaving the holding bridge (their place, the press-1
 * callback's prompts), and the goodbye of a caller who asked for a callback. A prompt that cannot be played (the
 * previous one still playing, the caller just gone) is no reason to end the call.
 */
final class QueuePrompts {

    private static final Logger log = LoggerFactory.getLogger(QueuePrompts.class);

    /** "To call back, press 1", after the position in queues with callbacks. */
    static final String CALLBACK_OFFERED = "sound:vm-tocallback,sound:vm-press,digits:1";
    /** "We cannot call back an unidentified caller": the caller ID is not a number the trunk can dial. */
    static final String CALLBACK_REFUSED = "sound:unidentified-no-callback";
    static final String CALLBACK_PROMISED = "sound:auth-thankyou,sound:vm-goodbye";

    private final Parties parties;
    /** The read-back playbacks of callers being asked to confirm their number, in order. */
    private final Map<UUID, List<String>> readingBack = new ConcurrentHashMap<>();

    QueuePrompts(Parties parties) {
        this.parties = parties;
    }

    /** "You are caller number N", and how to ask for a callback where the queue offers them. */
    void position(Call call, int position, boolean callbackEnabled) {
        toCaller(call, positionMedia(position) + (callbackEnabled ? "," + CALLBACK_OFFERED : ""));
    }

    void toCaller(Call call, String media) {
        try {
            String playbackId = UUID.randomUUID().toString();
            call.callerPromptPlaybackId = playbackId;
            parties.commands().send(new CallCommand.Play(call.caller().channelId, playbackId, media));
        } catch (AsteriskException e) {
            log.debug("call {}: prompt {} not played: {}", call.id, media, e.getMessage());
        }
    }

    /**
     * "You entered 1 5 5 5 ..., if this is correct press 1", each word a playback of its own. As one playback, stopping
     * it for the goodbye did not cut it short for a caller in a bridge (Asterisk plays it in the bridge channel's
     * thread): measured in QueueCallbackIT, the caller was released 13.3 s after confirming, the rest of their number
     * read first. Queued word by word, the word playing ends and the words still queued are dropped: 2.1-2.2 s, the
     * goodbye's own length.
     */
    void readBack(Call call, String number) {
        List<String> ids = new ArrayList<>();
        for (String media : readBackMedia(number).split(",")) {
            String playbackId = UUID.randomUUID().toString();
            try {
                parties.commands().send(new CallCommand.Play(call.caller().channelId, playbackId, media));
            } catch (AsteriskException e) {
                log.debug("call {}: read-back {} not played: {}", call.id, media, e.getMessage());
                break;
            }
            ids.add(playbackId);
            call.callerPromptPlaybackId = playbackId;
        }
        readingBack.put(call.id, ids);
    }

    /** The caller left the queue: nothing of theirs is being read back any more. */
    void forget(UUID callId) {
        readingBack.remove(callId);
    }

    /** The caller asked to be called back: told so and hung up. Their entry keeps the place. */
    void releaseForCallback(Call call, Instant at) {
        Leg caller = call.caller();
        if (!caller.live()) {
            return;
        }
        // The goodbye is played in the holding bridge, like the position announcements: leaving the bridge first
        // waited for the read-back to end (measured: the lane was held 10 s by the removal). A read-back still
        // playing is stopped so the goodbye comes now.
        List<String> readBack = new ArrayList<>(readingBack.getOrDefault(call.id, List.of()));
        readingBack.remove(call.id);
        if (call.callerPromptPlaybackId != null && !readBack.contains(call.callerPromptPlaybackId)) {
            readBack.add(call.callerPromptPlaybackId);
        }
        call.callerPromptPlaybackId = null;
        for (String playbackId : readBack) {
            try {
                parties.commands().send(new CallCommand.StopPlayback(playbackId));
            } catch (AsteriskException e) {
                log.debug("call {}: read-back {} already over: {}", call.id, playbackId, e.getMessage());
            }
        }
        parties.announce(call, CALLBACK_PROMISED, HangupReason.NORMAL, "callback_requested", at);
    }

    /** "You are next", or "you are caller number N waiting", as app_queue says it (core English sounds). */
    static String positionMedia(int position) {
        return position <= 1 ? "sound:queue-youarenext"
                : "sound:queue-thereare,number:" + position + ",sound:queue-callswaiting";
    }

    /** "You entered 1 5 5 5 ..., if this is correct press 1" (core English sounds), a digit at a time. */
    static String readBackMedia(String number) {
        StringBuilder media = new StringBuilder("sound:you-entered");
        number.substring(1).chars().forEach(digit -> media.append(",digits:").append((char) digit));
        return media.append(",sound:if-correct-press,digits:1").toString();
    }
}
