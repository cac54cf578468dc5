package io.callcenter.asterisk.ami;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MixMonitor on a channel through the manager: what a dialplan's {@code MixMonitor()} does, started, muted and stopped
 * by the app. The audiohook records what the channel hears and says, mixed, into one file, whatever bridge the
 * channel is in; it ends with the channel (or {@link #stop}), when Asterisk closes the file.
 */
public final class MixMonitors {

    private final AmiClient ami;
    private final String directory;

    /** {@code directory}: Asterisk's recording directory as Asterisk sees it (MixMonitor takes absolute paths). */
    public MixMonitors(AmiClient ami, String directory) {
        this.ami = ami;
        this.directory = directory.endsWith("/") ? directory : directory + "/";
    }

    /** Starts recording {@code channel} into {@code name.format}; returns once the audiohook is attached. */
    public void start(String channel, String name, String format) {
        if (name.contains("/") || name.contains("..")) {
            throw new IllegalArgumentException("recording name " + name + " is not a plain file name");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Channel", channel);
        fields.put("File", directory + name + "." + format);
        ami.action("MixMonitor", fields);
    }

    /** Payment pause: both directions write silence, so the file keeps the call's timeline. */
    public void mute(String channel, boolean muted) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Channel", channel);
        fields.put("Direction", "both");
        fields.put("State", muted ? "1" : "0");
        ami.action("MixMonitorMute", fields);
    }

    public void stop(String channel) {
        ami.action("StopMixMonitor", Map.of("Channel", channel));
    }

    public boolean connected() {
        return ami.connected();
    }

    public void close() {
        ami.close();
    }
}
