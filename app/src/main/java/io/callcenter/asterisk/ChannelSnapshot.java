package io.callcenter.asterisk;

import java.time.Instant;

/**
 * What Asterisk says about a channel at one moment. {@code endpointResource} is the PJSIP endpoint the channel
 * belongs to (parsed from the channel name, e.g. {@code PJSIP/1001-0000002a} -> {@code 1001}).
 */
public record ChannelSnapshot(
        String id,
        String name,
        ChannelState state,
        String callerNumber,
        String callerName,
        String connectedNumber,
        String dialplanContext,
        String dialplanExten,
        String dialplanApp,
        String dialplanAppData,
        Instant createdAt) {

    /** Whether the channel sits in the given Stasis application (as opposed to plain dialplan). */
    public boolean inStasisApp(String application) {
        return "Stasis".equalsIgnoreCase(dialplanApp)
                && (dialplanAppData.equals(application) || dialplanAppData.startsWith(application + ","));
    }

    public String endpointResource() {
        int slash = name.indexOf('/');
        int dash = name.lastIndexOf('-');
        if (slash < 0 || dash <= slash) {
            return name;
        }
        return name.substring(slash + 1, dash);
    }

    public String technology() {
        int slash = name.indexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }
}
