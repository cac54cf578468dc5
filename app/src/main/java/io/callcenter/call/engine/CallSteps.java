package io.callcenter.call.engine;

import io.callcenter.call.lifecycle.CallLifecycle;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.CommandRefused;
import io.callcenter.call.model.NotActiveInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A decision on a live call, run on its lane: then the call settles (what follows from who is still there) and is
 * saved and announced. Events, timers and the API's commands all go through here.
 */
final class CallSteps {

    private static final Logger log = LoggerFactory.getLogger(CallSteps.class);
    private static final Duration COMMAND_WAIT = Duration.ofSeconds(10);

    private final CallRegistry registry;
    private final Lanes<UUID> lanes;
    private CallLifecycle lifecycle;
    private final Clock clock;

    CallSteps(CallRegistry registry, Lanes<UUID> lanes, Clock clock) {
        this.registry = registry;
        this.lanes = lanes;
        this.clock = clock;
    }

    /** Set once by the engine: the lifecycle is built from rooms that schedule their own steps through here. */
    void settleWith(CallLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    /**
     * Runs a decision on a call (on its lane), then settles it and saves it. A decision that fails on a channel that
     * went away is a race; anything else ends the call cleanly.
     */
    <T> T step(UUID callId, Instant at, Function<Call, T> decision) {
        Call call = registry.call(callId);
        if (call == null) {
            return null;
        }
        try {
            T result = decision.apply(call);
            lifecycle.settle(call, at);
            return result;
        } catch (CommandRefused refused) {
            throw refused;
        } catch (RuntimeException e) {
            lifecycle.recover(call, e);
            throw e;
        } finally {
            registry.afterStep(call);
        }
    }

    /** A timer's decision, on the call's lane. */
    void later(UUID callId, Consumer<Call> decision) {
        lanes.execute(callId, () -> {
            try {
                step(callId, clock.instant(), call -> {
                    decision.accept(call);
                    return null;
                });
            } catch (RuntimeException e) {
                log.debug("call {}: timed decision failed: {}", callId, e.getMessage());
            }
        });
    }

    /**
     * Runs a command on the call's lane, so it sees and changes the call in order with its events, and waits for
     * the outcome: the API answers with what really happened (or why not) rather than "accepted".
     */
    <T> T command(UUID callId, Function<Call, T> action) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        lanes.execute(callId, () -> {
            if (!registry.isLive(callId)) {
                outcome.completeExceptionally(registry.standingBy() ? new NotActiveInstance(callId)
                        : new CommandRefused("not-live", "Call " + callId + " is not in progress"));
                return;
            }
            try {
                outcome.complete(step(callId, clock.instant(), action));
            } catch (RuntimeException e) {
                outcome.completeExceptionally(e);
            }
        });
        try {
            return outcome.get(COMMAND_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("call " + callId + " did not take the command in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
