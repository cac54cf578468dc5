package io.callcenter.asterisk.ari;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import io.callcenter.asterisk.AsteriskEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns ARI event JSON into our events. We parse the tree ourselves instead of using ari4java's event classes:
 * its strict bindings reject fields newer than ARI 10.0.0 (Asterisk 22.10 adds some), and we only need a few.
 */
final class AriEventParser {

    private static final Logger log = LoggerFactory.getLogger(AriEventParser.class);
    private static final String CHANNEL_TARGET = "channel:";
    private static final String BRIDGE_TARGET = "bridge:";

    /** The event types read below: the application's event filter asks Asterisk for these only. */
    static final List<String> TYPES = List.of("StasisStart", "ChannelHangupRequest", "StasisEnd", "ChannelStateChange",
            "Dial", "ChannelDestroyed", "ChannelDtmfReceived", "PlaybackFinished", "RecordingFinished", "RecordingFailed",
            "EndpointStateChange");

    private final JsonMapper mapper = JsonMapper.builder().build();

    Optional<AsteriskEvent> parse(String json) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (Exception e) {
            log.warn("Unreadable ARI event dropped: {}", json, e);
            return Optional.empty();
        }
        Instant at = AriJson.time(AriJson.text(root, "timestamp"));
        JsonNode channel = root.path("channel");
        return Optional.ofNullable(switch (AriJson.text(root, "type")) {
            case "StasisStart" -> new AsteriskEvent.StasisStart(at, AriJson.channel(channel), args(root.path("args")));
            case "ChannelHangupRequest" -> new AsteriskEvent.HangupRequested(at, AriJson.text(channel, "id"),
                    root.path("cause").asInt(0));
            case "StasisEnd" -> new AsteriskEvent.StasisEnd(at, AriJson.text(channel, "id"));
            case "ChannelStateChange" -> new AsteriskEvent.ChannelStateChanged(at, AriJson.channel(channel));
            case "Dial" -> new AsteriskEvent.DialResult(at, AriJson.text(root.path("peer"), "id"),
                    AriJson.text(root, "dialstatus"));
            case "ChannelDestroyed" -> new AsteriskEvent.ChannelDestroyed(at, AriJson.text(channel, "id"),
                    root.path("cause").asInt(0), AriJson.text(root, "cause_txt"));
            case "ChannelDtmfReceived" -> {
                String digit = AriJson.text(root, "digit");
                yield digit.isEmpty() ? null : new AsteriskEvent.DtmfReceived(at, AriJson.text(channel, "id"), digit.charAt(0));
            }
            case "PlaybackFinished" -> {
                JsonNode playback = root.path("playback");
                String target = AriJson.text(playback, "target_uri");
                Optional<String> targetChannel = target.startsWith(CHANNEL_TARGET)
                        ? Optional.of(target.substring(CHANNEL_TARGET.length()))
                        : Optional.empty();
                Optional<String> targetBridge = target.startsWith(BRIDGE_TARGET)
                        ? Optional.of(target.substring(BRIDGE_TARGET.length()))
                        : Optional.empty();
                yield new AsteriskEvent.PlaybackFinished(at, AriJson.text(playback, "id"), targetChannel, targetBridge);
            }
            case "RecordingFinished", "RecordingFailed" -> {
                JsonNode recording = root.path("recording");
                yield new AsteriskEvent.RecordingEnded(at, AriJson.text(recording, "name"), AriJson.text(recording, "format"),
                        AriJson.text(recording, "target_uri"), "RecordingFailed".equals(AriJson.text(root, "type")),
                        AriJson.text(recording, "cause"));
            }
            case "EndpointStateChange" -> {
                JsonNode endpoint = root.path("endpoint");
                yield new AsteriskEvent.EndpointStateChanged(at, AriJson.text(endpoint, "technology"),
                        AriJson.text(endpoint, "resource"), "online".equalsIgnoreCase(AriJson.text(endpoint, "state")),
                        args(endpoint.path("channel_ids")));
            }
            default -> null;
        });
    }

    private static List<String> args(JsonNode args) {
        List<String> result = new ArrayList<>();
        args.forEach(arg -> result.add(arg.asString()));
        return result;
    }
}
