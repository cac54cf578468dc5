package io.callcenter.destination;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A voice menu (IVR): the prompt is played (a key interrupts it), a key with a choice sends the caller there; an
 * invalid key or no key within {@code timeout} costs a try and the prompt starts again; after {@code maxTries} the
 * caller goes to {@code onInvalid} or {@code onTimeout}, by what the last try was.
 */
public record VoiceMenu(UUID id, UUID teamId, String name, String prompt, Map<String, Destination> choices,
                        Duration timeout, int maxTries, Destination onInvalid, Destination onTimeout) {

    public static final Pattern KEY = Pattern.compile("^[0-9*#]$");

    public VoiceMenu {
        choices = Map.copyOf(choices);
    }

    /** Every destination the menu can send a call to (to check targets and cycles). */
    public List<Destination> destinations() {
        List<Destination> all = new ArrayList<>(choices.values());
        all.add(onInvalid);
        all.add(onTimeout);
        return all;
    }
}
