package io.callcenter.asterisk;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The only door to Asterisk. Commands take and return our own records; the ARI adapter behind it is the only
 * code that knows ari4java. Every command is synchronous and may block on HTTP: call it from a call's own
 * executor (a virtual thread), never from the event stream thread.
 */
public interface AsteriskGateway {

    void answer(String channelId);

    /**
     * Ringback for the channel's user: 180 Ringing while the channel is not answered; once it is, Asterisk plays the
     * ringing tone in-band instead (the channel driver refuses the indication, so the core generates the tone).
     */
    void ring(String channelId);

    /** Stops the in-band ringing tone started by {@link #ring} on an answered channel. */
    void stopRinging(String channelId);

    void createBridge(String bridgeId, String name);

    /**
     * A holding bridge (a queue's waiting room): its participants hear the bridge's music or announcer, never each
     * other. Creating one that exists updates it.
     */
    void createHoldingBridge(String bridgeId, String name);

    /** Music on hold of the class to everyone in the bridge, from one announcer channel (one stream for all). */
    void startMoh(String bridgeId, String mohClass);

    void destroyBridge(String bridgeId);

    void addToBridge(String bridgeId, String channelId);

    /** Takes a channel out of a bridge (it stays up, in our application), e.g. to consult a transfer target. */
    void removeFromBridge(String bridgeId, String channelId);

    /**
     * Records the bridge's mix (every party, whoever joins or leaves) into {@code name.format} in Asterisk's
     * recording directory, until the bridge is destroyed or {@link #stopRecording}.
     */
    void recordBridge(String bridgeId, String name, String format);

    /**
     * Records what the channel's caller says into {@code name.format} (a voicemail message): a beep first if asked,
     * ending at {@code maxDuration}, after {@code maxSilence} of silence, on the {@code terminateOn} key
     * ({@code "#"}) or when the channel hangs up; the end arrives as {@link AsteriskEvent.RecordingEnded}.
     */
    void recordChannel(String channelId, String name, String format, Duration maxDuration, Duration maxSilence,
                       boolean beep, String terminateOn);

    /**
     * Message waiting for {@code mailbox} ({@code user@context}): SIP phones whose endpoint names the mailbox in
     * {@code mailboxes=} are told (unsolicited NOTIFY, Messages-Waiting) how many messages are new and old.
     */
    void messageWaiting(String mailbox, int newMessages, int oldMessages);

    /**
     * MixMonitor on the channel (through the manager interface): what the channel hears and says, mixed, into
     * {@code name.format} in Asterisk's recording directory, whatever bridge it is in, until the channel ends (then
     * Asterisk closes the file) or {@link #stopChannelMix}. Returns once the recording is attached; no event reports
     * its end.
     */
    void recordChannelMix(String channelId, String name, String format);

    /** Mutes (both directions write silence, the timeline stays intact) or unmutes the channel's MixMonitor. */
    void muteChannelMix(String channelId, boolean muted);

    void stopChannelMix(String channelId);

    /** Mutes (silence is written, so the file keeps the call's timeline) or unmutes a live recording. */
    void muteRecording(String name, boolean muted);

    void stopRecording(String name);

    /**
     * A live recording's state as Asterisk reports it ({@code recording}, {@code paused}, ...), empty when Asterisk
     * has no live recording of that name. Asterisk does not report whether it is muted.
     */
    Optional<String> liveRecording(String name);

    /**
     * Creates an outgoing channel with our id, so the call knows it (and gets its events) before the far end is
     * contacted: inside our Stasis application without dialling it yet, or originated at once when the request has
     * a ring timeout (see {@link ChannelRequest}).
     */
    void createChannel(ChannelRequest request);

    /** Dials a channel made by {@link #createChannel}; the outcome arrives as {@link AsteriskEvent.DialResult}. */
    void dial(String channelId, String callerChannelId, Duration ringTimeout);

    void hangup(String channelId, HangupReason reason);

    void play(String channelId, String playbackId, String media);

    /** Plays to everyone in a bridge (e.g. the warning before the talk-time limit). */
    void playOnBridge(String bridgeId, String playbackId, String media);

    /** Stops a playback; a playback that already finished is not an error. */
    void stopPlayback(String playbackId);

    void setVariable(String channelId, String name, String value);

    Optional<String> variable(String channelId, String name);

    Optional<ChannelSnapshot> channel(String channelId);

    List<ChannelSnapshot> channels();

    List<BridgeSnapshot> bridges();

    /** Subscribes our application to a channel or bridge again, e.g. after the app restarted mid-call. */
    void subscribe(List<String> channelIds, List<String> bridgeIds);

    /**
     * Subscribes our application to these endpoints (the agents' phones), so that a phone registering, going away,
     * or gaining or losing a channel arrives as {@link AsteriskEvent.EndpointStateChanged}; one request, refused as
     * a whole when any of them does not exist. Never the whole technology: its topic carries every message of every
     * channel on it, the carrier's included, each made into JSON for us (issue 14, BENCHMARKS.md "sixth pass").
     * Asterisk forgets it when it restarts.
     */
    void subscribeEndpoints(String technology, List<String> resources);

    EndpointSnapshot endpoint(String technology, String resource);

    /** Every endpoint of a technology in one request (e.g. all agents' PJSIP endpoints with their channels). */
    List<EndpointSnapshot> endpoints(String technology);

    /** ARI push configuration: creates or replaces a sorcery object (e.g. res_pjsip endpoint) without a reload. */
    void putConfigObject(String configClass, String objectType, String id, Map<String, String> fields);

    void deleteConfigObject(String configClass, String objectType, String id);

    AsteriskInfo info();

    /** Whether the event stream is connected right now. */
    boolean connected();

    /**
     * A snoop channel on {@code channelId} with our id, entering our application with {@code appArgs}: it hears the
     * channel's audio in the {@code spy} directions and injects its own into the {@code whisper} ones.
     */
    void snoop(String channelId, String snoopChannelId, String spy, String whisper, List<String> appArgs);

    /**
     * @param near        channels the new one will be bridged with (its call's other legs): with several Asterisk
     *                    nodes it is made on their node, since a bridge cannot span nodes; empty: any node
     * @param ringTimeout null: the channel is made inside our application and dialled later ({@link #dial}); else it
     *                    is originated (made and dialled in one request, ringing this long) and enters our
     *                    application only once answered, its ringing and failure arriving as events before that
     */
    record ChannelRequest(String channelId, String endpoint, List<String> appArgs, Map<String, String> variables,
                          List<String> near, Duration ringTimeout) {
        public ChannelRequest {
            appArgs = List.copyOf(appArgs);
            variables = Map.copyOf(variables);
            near = List.copyOf(near);
        }

        public ChannelRequest(String channelId, String endpoint, List<String> appArgs, Map<String, String> variables,
                              List<String> near) {
            this(channelId, endpoint, appArgs, variables, near, null);
        }

        public ChannelRequest(String channelId, String endpoint, List<String> appArgs, Map<String, String> variables) {
            this(channelId, endpoint, appArgs, variables, List.of());
        }
    }

    enum HangupReason {
        NORMAL("normal"), BUSY("busy"), CONGESTION("congestion"), NO_ANSWER("no_answer"), UNALLOCATED("unallocated"),
        ANSWERED_ELSEWHERE("answered_elsewhere");

        private final String ariName;

        HangupReason(String ariName) {
            this.ariName = ariName;
        }

        public String ariName() {
            return ariName;
        }
    }
}
