package io.callcenter.asterisk;

import java.util.List;

public record BridgeSnapshot(String id, String name, String type, List<String> channelIds) {
    public BridgeSnapshot {
        channelIds = List.copyOf(channelIds);
    }
}
