package io.callcenter.call.queue;

import io.callcenter.asterisk.AsteriskException;
import io.callcenter.call.command.CallCommand;
import io.callcenter.call.parties.Parties;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The queues' holding bridges: one per queue, made on its first caller and kept for the app's life, so all its
 * callers share one music stream. Asterisk keeps them across app restarts and loses them with its own.
 */
final class QueueHoldingBridges {

    private final Parties parties;
    /** Holding bridges created (with their music) since Asterisk last (re)connected. */
    private final Set<String> ready = ConcurrentHashMap.newKeySet();

    QueueHoldingBridges(Parties parties) {
        this.parties = parties;
    }

    /** Asterisk restarted: the bridges are gone and are made again on the next join. */
    void forgetAll() {
        ready.clear();
    }

    /** The bridge and its music lived on in Asterisk while no app ran (a new instance takes its callers over). */
    void survived(QueueSettings queue) {
        ready.add(queue.bridgeId());
    }

    /**
     * Into the queue's holding bridge, then its music (again). Asterisk's music channel for a bridge leaves as soon as
     * it is alone there (measured: started on an empty bridge, every caller joining later heard silence), so the
     * music is asked for after each caller is in; for a bridge already playing it continues the same stream.
     */
    void enter(QueueSettings queue, String channelId) {
        ensure(queue);
        try {
            parties.commands().send(new CallCommand.AddToBridge(queue.bridgeId(), channelId));
        } catch (AsteriskException e) {
            if (!e.isNotFound()) {
                throw e;
            }
            // The bridge went with an Asterisk restart we have not heard of yet: make it again, once.
            ready.remove(queue.bridgeId());
            ensure(queue);
            parties.commands().send(new CallCommand.AddToBridge(queue.bridgeId(), channelId));
        }
        parties.commands().send(new CallCommand.StartMoh(queue.bridgeId(), queue.mohClass()));
    }

    private void ensure(QueueSettings queue) {
        if (ready.add(queue.bridgeId())) {
            try {
                parties.commands().send(new CallCommand.CreateHoldingBridge(queue.bridgeId()));
            } catch (AsteriskException e) {
                if (e.status() != 409) {
                    ready.remove(queue.bridgeId());
                    throw e;
                }
                // Made by an app instance before this one (Asterisk keeps Stasis bridges across app restarts).
            } catch (RuntimeException e) {
                ready.remove(queue.bridgeId());
                throw e;
            }
        }
    }
}
