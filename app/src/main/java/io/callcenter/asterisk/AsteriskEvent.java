package io.callcenter.asterisk;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Events from Asterisk, in our own terms. Each names the channel (or playback) it concerns. */
public sealed interface AsteriskEvent {

    Instant at();

    /** The channel this event is about, used to route it to the call that owns the channel. */
    Optional<String> channelId();

    record StasisStart(Instant at, ChannelSnapshot channel, List<String> args) implements AsteriskEvent {
        public StasisStart {
            args = List.copyOf(args);
        }

        @Override
        public Optional<String> channelId() {
            return Optional.of(channel.id());
        }
    }

    /** Hangup of a channel was requested (by the far end or by us); {@code cause} is the Q.850 code. */
    record HangupRequested(Instant at, String id, int cause) implements AsteriskEvent {
        @Override
        public Optional<String> channelId() {
            return Optional.of(id);
        }
    }

    /**
     * The channel left our application. We never send channels back to the dialplan, so for us the leg is gone:
     * Asterisk stops sending the application events for it, usually before ChannelDestroyed.
     */
    record StasisEnd(Instant at, String id) implements AsteriskEvent {
        @Override
        public Optional<String> channelId() {
            return Optional.of(id);
        }
    }

    record ChannelStateChanged(Instant at, ChannelSnapshot channel) implements AsteriskEvent {
        @Override
        public Optional<String> channelId() {
            return Optional.of(channel.id());
        }
    }

    /**
     * Progress of a dial started with {@link AsteriskGateway#dial}. {@code status} is Asterisk's DIALSTATUS:
     * empty when dialing starts, then e.g. RINGING, PROGRESS, ANSWER, BUSY, NOANSWER, CONGESTION, CHANUNAVAIL.
     */
    record DialResult(Instant at, String peerChannelId, String status) implements AsteriskEvent {
        @Override
        public Optional<String> channelId() {
            return Optional.of(peerChannelId);
        }
    }

    /** {@code cause} is the Q.850 cause code (16 normal clearing, 17 user busy, 19 no answer, ...). */
    record ChannelDestroyed(Instant at, String id, int cause, String causeText) implements AsteriskEvent {
        @Override
        public Optional<String> channelId() {
            return Optional.of(id);
        }
    }

    record DtmfReceived(Instant at, String id, char digit) implements AsteriskEvent {
        @Override
        public Optional<String> channelId() {
            return Optional.of(id);
        }
    }

    /** {@code targetChannelId} is set when the playback was on a channel (not a bridge). */
    record PlaybackFinished(Instant at, String playbackId, Optional<String> targetChannelId,
                            Optional<String> targetBridgeId) implements AsteriskEvent {
        public PlaybackFinished(Instant at, String playbackId, Optional<String> targetChannelId) {
            this(at, playbackId, targetChannelId, Optional.empty());
        }

        @Override
        public Optional<String> channelId() {
            return targetChannelId;
        }
    }

    /**
     * A phone registered, became reachable, or went away ({@code online} false), or one of its channels came or
     * went ({@code channelIds}: its live channels now). Not about any one channel.
     */
    record EndpointStateChanged(Instant at, String technology, String resource, boolean online, List<String> channelIds)
            implements AsteriskEvent {
        public EndpointStateChanged {
            channelIds = List.copyOf(channelIds);
        }

        public EndpointStateChanged(Instant at, String technology, String resource, boolean online) {
            this(at, technology, resource, online, List.of());
        }

        @Override
        public Optional<String> channelId() {
            return Optional.empty();
        }
    }

    /**
     * A recording ended ({@code failed} if Asterisk could not write it). {@code targetUri} is e.g.
     * {@code bridge:<id>}; {@code name} is the file name without extension.
     */
    record RecordingEnded(Instant at, String name, String format, String targetUri, boolean failed, String cause)
            implements AsteriskEvent {
        @Override
        public Optional<String> channelId() {
            return Optional.empty();
        }
    }
}
