package io.callcenter.asterisk;

import java.util.List;

/** {@code online} means at least one contact is registered and reachable; {@code channelIds} are its live calls. */
public record EndpointSnapshot(String technology, String resource, boolean online, List<String> channelIds) {
    public EndpointSnapshot {
        channelIds = List.copyOf(channelIds);
    }

    public static EndpointSnapshot unknown(String technology, String resource) {
        return new EndpointSnapshot(technology, resource, false, List.of());
    }
}
