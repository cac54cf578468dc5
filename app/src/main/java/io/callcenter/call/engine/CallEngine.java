package io.callcenter.call.engine;

import io.callcenter.agent.AgentDirectory;
import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.AsteriskEvent.ChannelDestroyed;
import io.callcenter.asterisk.AsteriskEvent.ChannelStateChanged;
import io.callcenter.asterisk.AsteriskEvent.DialResult;
import io.callcenter.asterisk.AsteriskEvent.DtmfReceived;
import io.callcenter.asterisk.AsteriskEvent.PlaybackFinished;
import io.callcenter.asterisk.AsteriskEvent.StasisEnd;
import io.callcenter.asterisk.AsteriskEvent.StasisStart;
import io.callcenter.asterisk.AsteriskEventListener;
import io.callcenter.asterisk.AsteriskGateway;
import io.callcenter.asterisk.AsteriskGateway.HangupReason;
import io.callcenter.asterisk.AsteriskInfo;
import io.callcenter.asterisk.ChannelSnapshot;
import io.callcenter.asterisk.ChannelState;
import io.callcenter.call.CallState;
import io.callcenter.call.CallUpdated;
import io.callcenter.call.DialledLeads;
import io.callcenter.call.agentdial.AgentDialFlow;
import io.callcenter.call.conference.Conference;
import io.callcenter.call.guard.OutboundGuard;
import io.callcenter.call.handover.LeadHandoverFlow;
import io.callcenter.call.inbound.InboundFlow;
import io.callcenter.call.lifecycle.CallFlow;
import io.callcenter.call.lifecycle.CallLifecycle;
import io.callcenter.call.lifecycle.EnteringFlow;
import io.callcenter.call.limit.CallTimer;
import io.callcenter.call.limit.TalkTimeLimit;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.CallProperties;
import io.callcenter.call.model.CommandRefused;
import io.callcenter.call.model.Leg;
import io.callcenter.call.model.Origin;
import io.callcenter.call.model.Q850;
import io.callcenter.call.model.Target;
import io.callcenter.call.model.Transfer;
import io.callcenter.call.parties.Parties;
import io.callcenter.call.placed.PlacedCallFlow;
import io.callcenter.call.menu.Menus;
import io.callcenter.call.queue.QueueStore;
import io.callcenter.destination.InboundRoutes;
import io.callcenter.call.queue.Queues;
import io.callcenter.call.reconcile.Reconciliation;
import io.callcenter.call.recording.CallRecorder;
import io.callcenter.call.recording.Recordings;
import io.callcenter.call.store.CallStore;
import io.callcenter.call.supervision.Mode;
import io.callcenter.call.supervision.Supervision;
import io.callcenter.call.transfer.Transfers;
import io.callcenter.call.voicemail.Voicemails;
import io.callcenter.voicemail.VoicemailBoxes;
import io.callcenter.routing.RoutingService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Owns the lanes and the life of every call, and nothing of what a call does.
 *
 * <p>Events arrive in Asterisk's order on the event stream thread; {@link #onEvent} only finds the call a channel
 * belongs to and queues the event on that call's lane (a virtual thread per call, in order). There each event is
 * handed to the room it concerns: the call's flow (how it began: {@code inbound}, {@code agentdial}, {@code placed},
 * {@code handover}), {@code conference}, {@code transfer}, {@code recording}, {@code limit}; then the call's
 * {@code lifecycle} settles what follows from who is still there, and the call is saved and announced. Decisions
 * reach Asterisk only through {@link io.callcenter.call.command.Commands}, which this engine executes.
 */
public final class CallEngine implements AsteriskEventListener {

    private static final Logger log = LoggerFactory.getLogger(CallEngine.class);
    private static final Duration ORPHAN_GRACE = Duration.ofSeconds(5);
    private static final Duration COMMAND_WAIT = Duration.ofSeconds(10);
    /** What a caller hears when the app cannot route (the dialplan plays the same while the app is away). */
    private static final String UNAVAILABLE_SOUND = "sound:ss-noservice";

    private final AsteriskGateway asterisk;
    private final CallStore store;
    private final String application;
    private final Clock clock;
    private final Lanes<UUID> lanes;
    private final Consumer<CallUpdated> updates;
    private final Map<String, UUID> callByChannel = new ConcurrentHashMap<>();
    private final Map<UUID, Call> calls = new ConcurrentHashMap<>();
    /** What to tell other modules once a call's step is saved, per call (run on the call's lane). */
    private final Map<UUID, List<Runnable>> noticesAfterSave = new ConcurrentHashMap<>();
    /** What agents' screens were last told of each live call, so each change is announced once. */
    private final Map<UUID, String> lastShown = new ConcurrentHashMap<>();

    private final Parties parties;
    private final CallLifecycle lifecycle;
    private final Map<String, EnteringFlow> enteringFlows = new LinkedHashMap<>();
    private final Map<Origin, CallFlow> flows = new EnumMap<>(Origin.class);
    private final PlacedCallFlow placed;
    private final Conference conference;
    private final Transfers transfers;
    private final CallRecorder recorder;
    private final Reconciliation reconciliation;
    private final Queues queues;
    private final Menus menus;
    private final Voicemails voicemails;
    private final Supervision supervision;
    private Executor orphanCheck;
    private final CallSaves saves;
    private final OutboundGuard guard;

    public CallEngine(AsteriskGateway asterisk, AgentDirectory agents, RoutingService routing, CallStore store,
                      CallProperties properties, String application, Clock clock, Executor executor, CallTimer timer,
                      OutboundGuard guard, Consumer<CallUpdated> updates, DialledLeads leads, QueueStore queueStore,
                      InboundRoutes routes, VoicemailBoxes voicemailBoxes) {
        this.asterisk = asterisk;
        this.store = store;
        this.application = application;
        this.clock = clock;
        this.updates = updates;
        this.guard = guard;
        this.lanes = new Lanes<>(executor);
        this.orphanCheck = CompletableFuture.delayedExecutor(ORPHAN_GRACE.toMillis(), TimeUnit.MILLISECONDS, executor);
        // A save the database refused is retried on the call's lane, in order with the call's own steps.
        this.saves = new CallSaves(store, (callId, after, task) -> timer.schedule(after, task), lanes::execute);

        this.parties = new Parties(new GatewayCommands(asterisk, callByChannel), agents, properties, clock);
        this.transfers = new Transfers(parties, agents, properties, clock);
        this.conference = new Conference(parties, agents, properties, clock);
        this.recorder = new CallRecorder(parties.commands(), store, routing, properties.recordingsDirectory(), clock);
        TalkTimeLimit limit = new TalkTimeLimit(parties, properties, clock, timer, this::later);
        this.lifecycle = new CallLifecycle(parties, agents, limit, transfers, clock);
        this.placed = new PlacedCallFlow(parties, agents, routing, properties, clock);
        this.queues = new Queues(parties, agents, queueStore, properties, clock, timer, this::later, executor);
        this.menus = new Menus(parties, timer, this::later, clock);
        this.voicemails = new Voicemails(parties, voicemailBoxes, properties);
        queues.overflowToVoicemail(voicemails::enter);
        CallbackDialler callbacks = new CallbackDialler(queues, agents, routing, guard, this::placeCallback);
        queues.dialCallbacksWith(callbacks);
        placed.callbacksTo(callbacks);
        this.reconciliation = new Reconciliation(parties, agents, store, limit, clock, queues::reconnected);
        this.supervision = new Supervision(parties.commands(), properties.agentRingTimeout());
        for (EnteringFlow flow : List.of(new InboundFlow(parties, agents, routing, properties, queues, menus, voicemails, routes, guard),
                new AgentDialFlow(parties, agents, routing, guard, properties),
                new LeadHandoverFlow(parties, agents, routing, properties, leads))) {
            enteringFlows.put(flow.argument(), flow);
            flows.put(flow.origin(), flow);
        }
        flows.put(placed.origin(), placed);
        parties.reportDialFailuresTo(this::dialFailed);
    }

    /** For operators' metrics: lanes with work, tasks waiting in them, and how long each task waited. */
    int activeLanes() {
        return lanes.activeLanes();
    }

    int queuedLaneTasks() {
        return lanes.queuedTasks();
    }

    void observeLaneWaits(java.util.function.LongConsumer waitNanos) {
        lanes.observeWaits(waitNanos);
    }

    /** Unit tests run the orphan check in place instead of after the grace period. */
    void checkOrphansWith(Executor executor) {
        this.orphanCheck = executor;
    }

    // ---------------------------------------------------------------- event stream thread: route only

    @Override
    public void onEvent(AsteriskEvent event) {
        if (event instanceof AsteriskEvent.RecordingEnded ended) {
            // A voicemail message's recording or a call's: the name says which, and whose lane it belongs on.
            Optional<UUID> message = VoicemailBoxes.callIdOf(ended.name());
            if (message.isPresent()) {
                lanes.execute(message.get(), () -> voicemailEnded(message.get(), ended));
            } else {
                Recordings.callIdOf(ended.name()).ifPresent(callId -> lanes.execute(callId, () -> recordingEnded(callId, ended)));
            }
            return;
        }
        if (event instanceof PlaybackFinished finished && finished.targetBridgeId().isPresent()) {
            // Bridge playbacks (announcements, hold, warnings) belong to the call whose bridge it is.
            Call.idOfBridge(finished.targetBridgeId().get()).ifPresent(id -> lanes.execute(id, () -> handle(id, event)));
            return;
        }
        String channelId = event.channelId().orElse(null);
        if (channelId == null) {
            return;
        }
        UUID callId = callByChannel.get(channelId);
        if (callId != null) {
            lanes.execute(callId, () -> handle(callId, event));
            return;
        }
        EnteringFlow flow = event instanceof StasisStart start && !start.args().isEmpty()
                ? enteringFlows.get(start.args().getFirst()) : null;
        if (flow != null) {
            StasisStart start = (StasisStart) event;
            UUID newCallId = flow.callIdFor(start, id -> calls.containsKey(id) || callByChannel.containsValue(id));
            callByChannel.put(channelId, newCallId);
            lanes.execute(newCallId, () -> begin(newCallId, flow, start));
        } else if (event instanceof StasisStart start && !start.args().isEmpty() && !Parties.LEG.equals(start.args().getFirst())) {
            log.warn("Channel {} entered the application with unknown arguments {}", channelId, start.args());
            // Off the event stream thread: a REST call here would hold up every call's events.
            lanes.execute(UUID.randomUUID(), () -> parties.hangupQuietly(channelId, HangupReason.NORMAL));
        } else if (!(event instanceof ChannelDestroyed) && !(event instanceof StasisEnd)
                && !(event instanceof AsteriskEvent.HangupRequested)) {
            log.debug("Event for a channel of no call ignored: {}", event);
        }
    }

    @Override
    public void onConnected(AsteriskInfo info) {
        queues.asteriskReconnected();
        queues.restoreCallbacks();
        // Runs before the stream delivers any new event: queue a reconciliation on every call's lane first, so
        // each call sees "what survived" before anything that happens next.
        Set<String> live = new HashSet<>();
        List<ChannelSnapshot> channels = asterisk.channels();
        channels.forEach(channel -> live.add(channel.id()));
        Set<UUID> ids = new HashSet<>(calls.keySet());
        ids.addAll(store.openCallIds());
        Reconciliation.LiveCalls registry = new Registry();
        for (UUID id : ids) {
            lanes.execute(id, () -> {
                Call call = null;
                try {
                    call = reconciliation.reconcile(id, live, info, registry);
                    if (call != null) {
                        lifecycle.settle(call, clock.instant());
                    }
                } catch (RuntimeException e) {
                    Call failed = call != null ? call : calls.get(id);
                    if (failed != null) {
                        lifecycle.failSafe(failed, e);
                    }
                } finally {
                    if (call != null) {
                        afterStep(call);
                    }
                }
            });
        }
        Set<String> known = new HashSet<>(store.openLegChannelIds());
        known.addAll(callByChannel.keySet());
        for (ChannelSnapshot channel : channels) {
            if (channel.inStasisApp(application) && !known.contains(channel.id())) {
                // In our application but in no call we know. It may be a call that arrived a moment ago whose
                // StasisStart is still queued behind this method, so look again after a grace period; still
                // unclaimed then, it was left over from before and nothing can be done for it but to end it.
                orphanCheck.execute(() -> {
                    if (!callByChannel.containsKey(channel.id())) {
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

    @Override
    public void onDisconnected() {
        log.warn("Lost the ARI event stream with {} live call(s); they will be reconciled on reconnect", calls.size());
    }

    // ---------------------------------------------------------------- lanes: one call at a time

    private void begin(UUID callId, EnteringFlow flow, StasisStart start) {
        Call call = null;
        try {
            call = flow.begin(callId, start, this::register);
            if (call == null) {
                log.warn("Channel {} is not one the {} flow can take", start.channel().id(), flow.argument());
                callByChannel.remove(start.channel().id());
                parties.hangupQuietly(start.channel().id(), HangupReason.NORMAL);
            } else {
                lifecycle.settle(call, start.at());
            }
        } catch (RuntimeException e) {
            // The call may already exist even though its flow did not return it.
            Call started = call != null ? call : calls.get(callId);
            if (started == null) {
                log.error("Could not start a call for channel {}", start.channel().id(), e);
                callByChannel.remove(start.channel().id());
                parties.hangupQuietly(start.channel().id(), HangupReason.CONGESTION);
                return;
            }
            call = started;
            if (io.callcenter.ops.DatabaseOutage.isOutage(e) && call.state() == CallState.ROUTING) {
                // Routing needs the database: with it away the caller hears why at once instead of a dead line,
                // and the call's record is written when the database returns (CallSaves).
                log.error("call {}: cannot be routed, the database is unavailable ({}); the caller hears a message",
                        callId, e.getMessage());
                parties.announce(call, UNAVAILABLE_SOUND, HangupReason.CONGESTION, "database_unavailable", clock.instant());
            } else {
                lifecycle.recover(call, e);
            }
        } finally {
            if (call != null) {
                afterStep(call);
            }
        }
    }

    /** An event of a live call, handed to the room it concerns; then the call settles and is saved. */
    private void handle(UUID callId, AsteriskEvent event) {
        try {
            handleOnLane(callId, event);
        } catch (RuntimeException e) {
            log.debug("call {}: {} ended in {}", callId, event.getClass().getSimpleName(), e.toString());
        }
    }

    private void handleOnLane(UUID callId, AsteriskEvent event) {
        step(callId, event.at(), call -> {
            if (supervision.on(call, event)) {
                return null;
            }
            switch (event) {
                case StasisStart start -> parties.entered(call, start.channel().id());
                case ChannelStateChanged changed -> {
                    if (changed.channel().state() == ChannelState.UP) {
                        call.leg(changed.channel().id()).ifPresent(leg -> answered(call, leg, changed.at()));
                    }
                }
                case DialResult dial -> call.leg(dial.peerChannelId()).ifPresent(leg -> {
                    if ("ANSWER".equals(dial.status())) {
                        answered(call, leg, dial.at());
                    } else {
                        parties.dialProgress(call, leg, dial);
                    }
                });
                case ChannelDestroyed destroyed -> legGone(call, destroyed.id(), destroyed.at(), destroyed.cause(),
                        destroyed.causeText());
                case PlaybackFinished finished -> {
                    lifecycle.playbackFinished(call, finished);
                    menus.playbackFinished(call, finished);
                    voicemails.playbackFinished(call, finished);
                }
                case AsteriskEvent.HangupRequested requested -> parties.hangupRequested(call, requested.id(), requested.cause());
                case StasisEnd end -> call.leg(end.id()).ifPresent(leg -> {
                    // A plain BYE arrives as a hangup request without a cause: that is normal clearing.
                    int cause = leg.requestedCause == null || leg.requestedCause == 0 ? 16 : leg.requestedCause;
                    legGone(call, end.id(), end.at(), cause, Q850.text(cause));
                });
                case DtmfReceived dtmf -> call.leg(dtmf.id())
                        .ifPresent(leg -> flowOf(call).keyPressed(call, leg, String.valueOf(dtmf.digit()), dtmf.at()));
                case AsteriskEvent.EndpointStateChanged ignored -> {
                    // Not about a channel; never routed to a call.
                }
                case AsteriskEvent.RecordingEnded ignored -> {
                    // Routed by recording name in onEvent, handled by recordingEnded.
                }
            }
            return null;
        });
    }

    /** Who answered decides what it means: the agent of a placed call, a new party, or the callee. */
    private void answered(Call call, Leg leg, Instant at) {
        if (placed.isAgentPickingUp(call, leg)) {
            placed.agentPickedUp(call, leg, at);
            return;
        }
        if (leg.answeredAt != null || leg.role == Leg.Role.CALLER) {
            return;
        }
        if (leg.role == Leg.Role.PARTICIPANT || leg.role == Leg.Role.TRANSFER_TARGET) {
            if (!transfers.answered(call, leg, at)) {
                conference.answered(call, leg, at);
            }
            return;
        }
        if (lifecycle.calleeAnswered(call, leg, at)) {
            recorder.start(call, at);
            // Told once the call is saved as TALKING: whoever hears of it (the dialler) finds the record agreeing.
            afterSave(call, () -> flowOf(call).connected(call, at));
        }
    }

    private void legGone(Call call, String channelId, Instant at, int cause, String causeText) {
        supervision.gone(call, channelId, at);
        Leg leg = call.leg(channelId).orElse(null);
        if (leg == null) {
            return;
        }
        lifecycle.legEnded(call, leg, at, cause, causeText);
        conference.legGone(call, leg, at);
        transfers.legGone(call, leg, at);
        queues.legGone(call, leg, at);
        menus.legGone(call, leg);
        voicemails.legGone(call, leg, at);
        if (call.state() == CallState.RINGING && leg.role == Leg.Role.CALLEE && call.caller().live()
                && call.ringingCallee().isEmpty()) {
            calleeFailed(call, leg, at);
        }
    }

    private void calleeFailed(Call call, Leg leg, Instant at) {
        parties.releaseAgentOf(call, leg);
        // A call already ending (its caller gone) has nobody left to find a callee for.
        if (call.state().isLive()) {
            flowOf(call).calleeFailed(call, leg, at);
        }
    }

    /** A leg we created could not be dialled at all: the room it belongs to decides. */
    private void dialFailed(Call call, Leg leg, Instant at) {
        switch (leg.role) {
            case CALLEE -> calleeFailed(call, leg, at);
            case PARTICIPANT -> conference.notReached(call, leg, at);
            case TRANSFER_TARGET -> transfers.targetGone(call, leg, at);
            case CALLER -> placed.agentPhoneFailed(call);
        }
    }

    private CallFlow flowOf(Call call) {
        return flows.get(call.origin);
    }

    /**
     * Runs a decision on a call (on its lane), then settles it and saves it. A decision that fails on a channel that
     * went away is a race; anything else ends the call cleanly.
     */
    private <T> T step(UUID callId, Instant at, Function<Call, T> decision) {
        Call call = calls.get(callId);
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
            afterStep(call);
        }
    }

    /** A timer's decision, on the call's lane. */
    private void later(UUID callId, Consumer<Call> decision) {
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

    private void recordingEnded(UUID callId, AsteriskEvent.RecordingEnded ended) {
        Call call = calls.get(callId);
        recorder.ended(call, ended);
        if (call != null) {
            afterStep(call);
        }
    }

    /** A voicemail message's recording ended, maybe after its call (the caller hung up while recording). */
    private void voicemailEnded(UUID callId, AsteriskEvent.RecordingEnded ended) {
        if (calls.containsKey(callId)) {
            try {
                step(callId, ended.at(), call -> {
                    voicemails.recordingEnded(call, ended);
                    return null;
                });
            } catch (RuntimeException e) {
                log.debug("call {}: voicemail end: {}", callId, e.getMessage());
            }
        } else {
            voicemails.recordingEnded(null, ended);
        }
    }

    // ---------------------------------------------------------------- commands from the API

    /** Places a call for an agent (see {@link PlacedCallFlow}); the agent is reserved and the number vetted. */
    public void place(PlacedCallFlow.PlaceCall request) {
        placeCallback(request, null);
    }

    /** A placed call that is a queue's callback ({@code callbackOf}: the entry), or a plain one (null). */
    private void placeCallback(PlacedCallFlow.PlaceCall request, UUID callbackOf) {
        lanes.execute(request.callId(), () -> {
            Call call = null;
            try {
                call = placed.begin(request, this::register, callbackOf);
                lifecycle.settle(call, clock.instant());
            } catch (RuntimeException e) {
                call = calls.get(request.callId());
                if (call != null) {
                    lifecycle.recover(call, e);
                }
            } finally {
                if (call != null) {
                    afterStep(call);
                }
            }
        });
    }

    /** An agent may have become free (presence says AVAILABLE): queued callers get a look. */
    public void agentMayBeFree() {
        queues.agentMayBeFree();
    }

    public String addParticipant(UUID callId, UUID requestedBy, Target target) {
        return command(callId, call -> conference.addParticipant(call, requestedBy, target));
    }

    public String startTransfer(UUID callId, UUID requestedBy, Transfer.Mode mode, Target target) {
        return command(callId, call -> transfers.start(call, requestedBy, mode, target));
    }

    public String completeTransfer(UUID callId, UUID requestedBy) {
        return command(callId, call -> transfers.complete(call, requestedBy));
    }

    public String cancelTransfer(UUID callId, UUID requestedBy) {
        return command(callId, call -> transfers.cancel(call, requestedBy));
    }

    public boolean pauseRecording(UUID callId, UUID requestedBy, boolean paused) {
        return command(callId, call -> recorder.pauseFor(call, requestedBy, paused));
    }

    /** Listen, whisper or barge from the supervisor's phone; again with another mode switches without dropping. */
    public void supervise(UUID callId, UUID supervisorId, String supervisorName, String phoneEndpoint, Mode mode) {
        command(callId, call -> {
            supervision.watch(call, supervisorId, supervisorName, phoneEndpoint, mode, clock.instant());
            return null;
        });
    }

    public void stopSupervising(UUID callId, UUID supervisorId) {
        command(callId, call -> {
            supervision.stop(call, supervisorId, clock.instant());
            return null;
        });
    }

    /**
     * Runs a command on the call's lane, so it sees and changes the call in order with its events, and waits for
     * the outcome: the API answers with what really happened (or why not) rather than "accepted".
     */
    private <T> T command(UUID callId, Function<Call, T> action) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        lanes.execute(callId, () -> {
            if (!calls.containsKey(callId)) {
                outcome.completeExceptionally(new CommandRefused("not-live", "Call " + callId + " is not in progress"));
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

    // ---------------------------------------------------------------- the registry, saving and announcing

    private void afterSave(Call call, Runnable notice) {
        noticesAfterSave.computeIfAbsent(call.id, id -> new java.util.ArrayList<>()).add(notice);
    }

    private void register(Call call) {
        calls.put(call.id, call);
    }

    /** After every step: ended legs leave the channel index, the call is saved and announced, an ended call goes. */
    private void afterStep(Call call) {
        call.legs.values().stream().filter(leg -> !leg.live()).forEach(leg -> callByChannel.remove(leg.channelId, call.id));
        if (call.state() == CallState.ENDED && calls.remove(call.id) != null) {
            countOutboundMinutes(call);
        }
        saves.save(call);
        // Announce every change an agent's screen shows: the call's state, its parties, recording and transfer.
        String shown = call.shownState();
        String before = call.state() == CallState.ENDED ? lastShown.remove(call.id) : lastShown.put(call.id, shown);
        if (!shown.equals(before)) {
            try {
                updates.accept(CallUpdates.of(call));
            } catch (RuntimeException e) {
                log.warn("call {}: publishing the update failed: {}", call.id, e.getMessage());
            }
        }
        List<Runnable> notices = noticesAfterSave.remove(call.id);
        if (notices != null) {
            for (Runnable notice : notices) {
                try {
                    notice.run();
                } catch (RuntimeException e) {
                    log.error("call {}: telling others of the saved step failed", call.id, e);
                }
            }
        }
    }

    /** Once, when an outbound call ends: its talk time counts against the team's hourly outbound minutes. */
    private void countOutboundMinutes(Call call) {
        if (call.direction == io.callcenter.call.Direction.OUTBOUND && call.teamId != null && call.answeredAt != null
                && call.endedAt != null) {
            guard.outboundEnded(call.teamId, call.endedAt, Duration.between(call.answeredAt, call.endedAt));
        }
    }

    private final class Registry implements Reconciliation.LiveCalls {
        @Override
        public Optional<Call> live(UUID callId) {
            return Optional.ofNullable(calls.get(callId));
        }

        @Override
        public void adopt(Call call, List<Leg> liveLegs) {
            calls.put(call.id, call);
            liveLegs.forEach(leg -> callByChannel.put(leg.channelId, call.id));
        }
    }
}
