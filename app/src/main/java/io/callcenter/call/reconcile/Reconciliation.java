package io.callcenter.call.reconcile;

import io.callcenter.agent.AgentDirectory;
import io.callcenter.asterisk.AsteriskGateway.HangupReason;
import io.callcenter.asterisk.AsteriskInfo;
import io.callcenter.call.CallState;
import io.callcenter.call.command.CallCommand;
import io.callcenter.call.limit.TalkTimeLimit;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.Leg;
import io.callcenter.call.parties.Parties;
import io.callcenter.call.store.CallStore;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * After the event stream comes back (a network blip, an Asterisk restart, or a new app instance taking over), each
 * open call is held against the channels Asterisk still has: a call whose two parties survived goes on (a new app
 * instance adopts it from the database), anything else is closed with what happened. Runs on the call's lane
 * before any newer event of it.
 */
public final class Reconciliation {

    /** The engine's registry of live calls, as far as reconciliation needs it. */
    public interface LiveCalls {
        Optional<Call> live(UUID callId);

        /** The call (restored from the database, or still in memory) is live again with these legs. */
        void adopt(Call call, List<Leg> liveLegs);
    }

    /** The queue room: whether a call is a queued caller who goes on waiting after the reconnect. */
    public interface QueuedCalls {
        boolean reconnected(Call call, boolean restored, Instant now);
    }

    /** Asterisk's word on the call's recording ({@code call.recordingName}): its state, or empty when it no longer runs. */
    public interface LiveRecordings {
        Optional<String> state(Call call);
    }

    private final Parties parties;
    private final LiveRecordings recordings;
    private final QueuedCalls queued;
    private final AgentDirectory agents;
    private final CallStore store;
    private final TalkTimeLimit limit;
    private final Clock clock;

    public Reconciliation(Parties parties, AgentDirectory agents, CallStore store, TalkTimeLimit limit, Clock clock,
                          QueuedCalls queued, LiveRecordings recordings) {
        this.parties = parties;
        this.recordings = recordings;
        this.queued = queued;
        this.agents = agents;
        this.store = store;
        this.limit = limit;
        this.clock = clock;
    }

    /** Returns the call as it now stands (null if it is neither live nor open in the database). */
    public Call reconcile(UUID id, Set<String> liveChannels, AsteriskInfo info, LiveCalls calls) {
        Optional<Call> inMemory = calls.live(id);
        boolean restored = inMemory.isEmpty();
        Call call = inMemory.or(() -> store.loadOpen(id)).orElse(null);
        if (call == null) {
            return null;
        }
        Instant now = clock.instant();
        boolean asteriskRestarted = info.startedAt().isAfter(call.createdAt);
        String lostCause = asteriskRestarted ? "asterisk_restarted" : "lost_while_disconnected";
        for (Leg leg : call.legs.values()) {
            if (leg.live() && !liveChannels.contains(leg.channelId)) {
                leg.ended(now, 0, lostCause);
            }
        }
        List<Leg> live = call.liveLegs();
        if (restored) {
            // What the database cannot say: a live answered leg of a talking call is in its bridge.
            live.forEach(leg -> leg.joined = leg.answeredAt != null);
        }
        if (!live.isEmpty()) {
            calls.adopt(call, live);
            if (call.agentId != null) {
                agents.tryReserve(call.agentId, call.id);
                if (!call.reservedAgents.contains(call.agentId)) {
                    call.reservedAgents.add(call.agentId);
                }
            }
            if (restored) {
                // A new app instance is not subscribed to channels that entered Stasis before it started.
                // A queued caller waits in the queue's bridge; their call's own bridge may never have been made.
                parties.commands().send(new CallCommand.Subscribe(live.stream().map(leg -> leg.channelId).toList(),
                        call.state() == CallState.QUEUED ? List.of() : List.of(call.bridgeId)));
            }
        }
        if (call.state() == CallState.TALKING && live.size() >= 2) {
            call.note(now, restored ? "resumed after app restart" : "resumed after reconnect", live.size() + " legs live");
            if (restored && call.answeredAt != null) {
                limit.schedule(call, call.answeredAt);
            }
            if (restored) {
                adoptRecording(call, now);
            }
        } else if (queued.reconnected(call, restored, now)) {
            call.note(now, restored ? "queue resumed after app restart" : "queue resumed after reconnect", null);
        } else if (call.state().isLive()) {
            call.hangupCause = live.isEmpty() ? lostCause : "interrupted";
            parties.hangupAll(call, HangupReason.NORMAL);
            call.moveTo(CallState.ENDING, now, "reconciled after reconnect", lostCause);
        }
        return call;
    }

    /** The database's recording and pause, held against what Asterisk still records (pause and resume act on it). */
    private void adoptRecording(Call call, Instant now) {
        if (call.recordingName == null) {
            return;
        }
        AdoptedRecording.Found found;
        try {
            found = recordings.state(call).isPresent() ? AdoptedRecording.Found.LIVE : AdoptedRecording.Found.GONE;
        } catch (RuntimeException e) {
            found = AdoptedRecording.Found.UNKNOWN;
        }
        AdoptedRecording.Outcome outcome = AdoptedRecording.decide(call.recordingName, call.recordingMuted, found);
        call.recordingName = outcome.name();
        call.recordingMuted = outcome.muted();
        call.note(now, "recording adopted", outcome.note());
    }
}
