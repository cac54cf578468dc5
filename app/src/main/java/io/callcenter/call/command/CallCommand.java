package io.callcenter.call.command;

import io.callcenter.asterisk.AsteriskGateway.HangupReason;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a call's decisions ask of Asterisk, as data. Decisions never hold the gateway: they send these through
 * {@link Commands}, so a test can check a flow's every step, and the engine is the one place that talks to Asterisk
 * (and learns which channel belongs to which call before the channel exists).
 */
public sealed interface CallCommand {

    record Answer(String channelId) implements CallCommand {
    }

    /** 180 Ringing to a channel not yet answered; in-band ringback to one that is. */
    record Ring(String channelId) implements CallCommand {
    }

    record StopRinging(String channelId) implements CallCommand {
    }

    record CreateBridge(String bridgeId) implements CallCommand {
    }

    record DestroyBridge(String bridgeId) implements CallCommand {
    }

    /** A queue's waiting room: participants hear its music and announcements, not each other. */
    record CreateHoldingBridge(String bridgeId) implements CallCommand {
    }

    record StartMoh(String bridgeId, String mohClass) implements CallCommand {
    }

    record AddToBridge(String bridgeId, String channelId) implements CallCommand {
    }

    record RemoveFromBridge(String bridgeId, String channelId) implements CallCommand {
    }

    /**
     * A new outgoing channel for the call. Without a ring timeout it enters our application as a leg at once and is
     * dialled with {@link Dial} later; with one it is dialled in the same request and enters our application only
     * once answered (its StasisStart is its answer).
     */
    record CreateChannel(UUID callId, String channelId, String endpoint, Map<String, String> variables,
                         Duration ringTimeout) implements CallCommand {
        public CreateChannel {
            variables = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(variables));
        }

        public CreateChannel(UUID callId, String channelId, String endpoint, Map<String, String> variables) {
            this(callId, channelId, endpoint, variables, null);
        }
    }

    record Dial(String channelId, Duration ringTimeout) implements CallCommand {
    }

    record Hangup(String channelId, HangupReason reason) implements CallCommand {
    }

    record Play(String channelId, String playbackId, String media) implements CallCommand {
    }

    record PlayOnBridge(String bridgeId, String playbackId, String media) implements CallCommand {
    }

    record StopPlayback(String playbackId) implements CallCommand {
    }

    record SetVariable(String channelId, String name, String value) implements CallCommand {
    }

    record RecordBridge(String bridgeId, String name, String format) implements CallCommand {
    }

    record MuteRecording(String name, boolean muted) implements CallCommand {
    }

    /** MixMonitor on the channel: what it hears and says, into {@code name.format}, until the channel ends. */
    record RecordChannelMix(String channelId, String name, String format) implements CallCommand {
    }

    /** The payment pause: the channel's MixMonitor writes silence while muted. */
    record MuteChannelMix(String channelId, boolean muted) implements CallCommand {
    }

    /** Records the caller (a voicemail message): a beep first, until max duration, silence, the key or hangup. */
    record RecordChannel(String channelId, String name, String format, Duration maxDuration, Duration maxSilence,
                         boolean beep, String terminateOn) implements CallCommand {
    }

    /** A new app instance takes over channels and bridges that entered the application before it started. */
    record Subscribe(List<String> channelIds, List<String> bridgeIds) implements CallCommand {
        public Subscribe {
            channelIds = List.copyOf(channelIds);
            bridgeIds = List.copyOf(bridgeIds);
        }
    }

    /**
     * A snoop channel on a leg (supervision): {@code spy} and {@code whisper} are ARI's directions ({@code none},
     * {@code in}, {@code out}, {@code both}); it enters our application as a channel of the call.
     */
    record Snoop(UUID callId, String snoopChannelId, String channelId, String spy, String whisper) implements CallCommand {
    }
}
