package io.callcenter.call.lifecycle;

import io.callcenter.asterisk.AsteriskEvent.StasisStart;
import io.callcenter.call.model.Call;

import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** A flow whose calls begin with a channel entering our application, with {@link #argument} as first argument. */
public interface EnteringFlow extends CallFlow {

    /** The Stasis argument the dialplan (asterisk-config/extensions.conf) gives this flow's channels. */
    String argument();

    /** The new call's id; {@code taken} says whether an id is already a call's. */
    default UUID callIdFor(StasisStart start, Predicate<UUID> taken) {
        return UUID.randomUUID();
    }

    /**
     * Starts the call, handing it to {@code register} as soon as it exists (so a failure later in this method still
     * ends it cleanly). Returns the call, or null when the channel is not one this flow can take.
     */
    Call begin(UUID callId, StasisStart start, Consumer<Call> register);
}
