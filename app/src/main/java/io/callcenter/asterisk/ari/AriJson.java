package io.callcenter.asterisk.ari;

import tools.jackson.databind.JsonNode;
import io.callcenter.asterisk.ChannelSnapshot;
import io.callcenter.asterisk.ChannelState;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads ARI's JSON leniently: unknown fields (newer Asterisk) are ignored, missing ones become empty. */
final class AriJson {

    // Asterisk writes "2026-11-22T13:00:00.123+0000": no colon in the offset, which ISO_OFFSET_DATE_TIME rejects.
    private static final DateTimeFormatter ASTERISK_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private AriJson() {
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "" : value.asString();
    }

    static Instant time(String value) {
        if (value == null || value.isBlank()) {
            return Instant.now();
        }
        try {
            return OffsetDateTime.parse(value, ASTERISK_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }

    static ChannelSnapshot channel(JsonNode channel) {
        return new ChannelSnapshot(
                text(channel, "id"),
                text(channel, "name"),
                ChannelState.fromAri(text(channel, "state")),
                text(channel.path("caller"), "number"),
                text(channel.path("caller"), "name"),
                text(channel.path("connected"), "number"),
                text(channel.path("dialplan"), "context"),
                text(channel.path("dialplan"), "exten"),
                text(channel.path("dialplan"), "app_name"),
                text(channel.path("dialplan"), "app_data"),
                time(text(channel, "creationtime")));
    }
}
