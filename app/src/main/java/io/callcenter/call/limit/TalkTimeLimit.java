package io.callcenter.call.limit;

import io.callcenter.asterisk.AsteriskGateway.HangupReason;
import io.callcenter.call.CallState;
import io.callcenter.call.command.CallCommand;
import io.callcenter.call.command.CallLane;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.CallProperties;
import io.callcenter.call.parties.Parties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The team's talk-time limit: everyone hears a warning shortly before it, then the app ends the call at the limit.
 * Asterisk's own cutoff ({@code TIMEOUT(absolute)} on the caller, set when the call is answered) comes
 * {@link #BACKSTOP} later and holds the limit even while the app is down.
 */
public final class TalkTimeLimit {

    private static final Logger log = LoggerFactory.getLogger(TalkTimeLimit.class);

    public static final Duration BACKSTOP = Duration.ofSeconds(10);

    private final Parties parties;
    private final CallProperties properties;
    private final Clock clock;
    private final CallTimer timer;
    private final CallLane lane;

    public TalkTimeLimit(Parties parties, CallProperties properties, Clock clock, CallTimer timer, CallLane lane) {
        this.parties = parties;
        this.properties = properties;
        this.clock = clock;
        this.timer = timer;
        this.lane = lane;
    }

    /** Asterisk's backstop on the caller's channel, as the call is answered. */
    public void backstop(Call call) {
        parties.commands().send(new CallCommand.SetVariable(call.caller().channelId, "TIMEOUT(absolute)",
                Long.toString(call.maxCallSeconds + BACKSTOP.toSeconds())));
    }

    /** Schedules the warning and the end, counted from the answer (again after an app restart). */
    public void schedule(Call call, Instant answeredAt) {
        Instant limit = answeredAt.plusSeconds(call.maxCallSeconds);
        Instant warning = limit.minus(properties.limitWarning());
        Instant now = clock.instant();
        UUID id = call.id;
        if (warning.isAfter(now)) {
            timer.schedule(Duration.between(now, warning), () -> lane.run(id, this::warn));
        }
        timer.schedule(Duration.between(now, limit).isNegative() ? Duration.ZERO : Duration.between(now, limit),
                () -> lane.run(id, this::enforce));
    }

    private void warn(Call call) {
        if (call.state() != CallState.TALKING) {
            return;
        }
        try {
            parties.commands().send(new CallCommand.PlayOnBridge(call.bridgeId, UUID.randomUUID().toString(),
                    properties.limitWarningSound()));
            call.note(clock.instant(), "talk-time limit warning", properties.limitWarning().toSeconds() + " s left");
        } catch (RuntimeException e) {
            log.warn("call {}: limit warning failed: {}", call.id, e.getMessage());
        }
    }

    private void enforce(Call call) {
        if (call.state() != CallState.TALKING) {
            return;
        }
        call.hangupCause = "time_limit";
        parties.hangupAll(call, HangupReason.NORMAL);
        call.moveTo(CallState.ENDING, clock.instant(), "talk-time limit reached", call.maxCallSeconds + " s");
    }
}
