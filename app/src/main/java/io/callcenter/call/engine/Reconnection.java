package io.callcenter.call.engine;

import io.callcenter.asterisk.AsteriskGateway;
import io.callcenter.asterisk.AsteriskGateway.HangupReason;
import io.callcenter.asterisk.AsteriskInfo;
import io.callcenter.asterisk.ChannelSnapshot;
import io.callcenter.call.lifecycle.CallLifecycle;
import io.callcenter.call.model.Call;
import io.callcenter.call.parties.Parties;
import io.callcenter.call.queue.Queues;
import io.callcenter.call.reconcile.Reconciliation;
import io.callcenter.call.store.CallStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The event stream came back: every call we know (in memory or open in the database) is reconciled with the
 * channels that survived, on its own lane, before any new event of it; channels in our application that belong to
 * no call are ended after a grace period.
 */
final class Reconnection {

    private static final Logger log = LoggerFactory.getLogger(Reconnection.class);
    private static final Duration ORPHAN_GRACE = Duration.ofSeconds(5);

    private final AsteriskGateway asterisk;
    private final CallStore store;
    private final String application;
    private final CallRegistry registry;
    private final Lanes<UUID> lanes;
    private final Reconciliation reconciliation;
    private final CallLifecycle lifecycle;
    private final Parties parties;
    private final Queues queues;
    private final Clock clock;
    private Executor orphanCheck;

    Reconnection(AsteriskGateway asterisk, CallStore store, String application, CallRegistry registry, Lanes<UUID> lanes,
                 Reconciliation reconciliation, CallLifecycle lifecycle, Parties parties, Queues queues, Clock clock,
                 Executor executor) {
        this.asterisk = asterisk;
        this.store = store;
        this.application = application;
        this.registry = registry;
        this.lanes = lanes;
        this.reconciliation = reconciliation;
        this.lifecycle = lifecycle;
        this.parties = parties;
        this.queues = queues;
        this.clock = clock;
        this.orphanCheck = CompletableFuture.delayedExecutor(ORPHAN_GRACE.toMillis(), TimeUnit.MILLISECONDS, executor);
    }

    /** Unit tests run the orphan check in place instead of after the grace period. */
    void checkOrphansWith(Executor executor) {
        this.orphanCheck = executor;
    }

    void reconnected(AsteriskInfo info) {
        queues.asteriskReconnected();
        queues.restoreCallbacks();
        // Runs before the stream delivers any new event: queue a reconciliation on every call's lane first, so
        // each call sees "what survived" before anything that happens next.
        Set<String> live = new HashSet<>();
        List<ChannelSnapshot> channels = asterisk.channels();
        channels.forEach(channel -> live.add(channel.id()));
        Set<UUID> ids = new HashSet<>(registry.liveIds());
        ids.addAll(store.openCallIds());
        for (UUID id : ids) {
            lanes.execute(id, () -> reconcile(id, live, info));
        }
        Set<String> known = new HashSet<>(store.openLegChannelIds());
        known.addAll(registry.claimedChannels());
        for (ChannelSnapshot channel : channels) {
            if (channel.inStasisApp(application) && !known.contains(channel.id())) {
                // In our application but in no call we know. It may be a call that arrived a moment ago whose
                // StasisStart is still queued behind this method, so look again after a grace period; still
                // unclaimed then, it was left over from before and nothing can be done for it but to end it.
                orphanCheck.execute(() -> {
                    if (!registry.isClaimed(channel.id())) {
                        log.warn("Hanging up channel {} left in the application by no known call", channel.id());
                        parties.hangupQuietly(channel.id(), HangupReason.NORMAL);
                    }
                });
            }
        }
        if (!ids.isEmpty()) {
            log.info("Reconnected to Asterisk: reconciling {} call(s) with {} live channel(s)", ids.size(), live.size());
        }
    }

    private void reconcile(UUID id, Set<String> live, AsteriskInfo info) {
        Call call = null;
        try {
            call = reconciliation.reconcile(id, live, info, registry);
            if (call != null) {
                lifecycle.settle(call, clock.instant());
            }
        } catch (RuntimeException e) {
            Call failed = call != null ? call : registry.call(id);
            if (failed != null) {
                lifecycle.failSafe(failed, e);
            }
        } finally {
            if (call != null) {
                registry.afterStep(call);
            }
        }
    }
}
