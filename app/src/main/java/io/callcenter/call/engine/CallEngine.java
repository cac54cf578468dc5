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
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Owns the lanes and the life of every call, and nothing of what a call does.
 *
 * <p>Events arrive in Asterisk's order on the event stream thread; {@link #onEvent} only finds the call a channel
 * belongs to and queues the event on that call's lane (a virtual thread per call, in order). There each event is
 * handed to the room it concerns: the call's flow (how it began: {@code inbound}, {@code agentdial}, {@code placed},
 * {@code handover}), {@code conference}, {@code transfer}, {@code recording}, {@code limit}; then the call's
 * {@code lifecycle} settles what follows from who is still there, and the call is saved and announced. Decisions
 * reach Asterisk only through {@link io.callcenter.call.command.Commands}, which this engine executes.
 *
 * <p>Beside it: {@link CallRegistry} (the live calls, the channel index, the save and announcement after every
 * step, the API's views of them), {@link CallStarts} (a call's first step), {@link CallSteps} (a decision run on a call's lane, timers, the API's waited commands) and
 * {@link Reconnection} (what survived while the event stream was down).
 */
public final class CallEngine implements AsteriskEventListener {

    private static final Logger log = LoggerFactory.getLogger(CallEngine.class);

    private final Clock clock;
    private final Lanes<UUID> lanes;
    private final CallRegistry registry;
    private final CallSteps steps;
    private final Reconnection reconnection;
    private final CallStarts starts;

    private final Parties parties;
    private final CallLifecycle lifecycle;
    private final Map<Origin, CallFlow> flows = new EnumMap<>(Origin.class);
    private final PlacedCallFlow placed;
    private final Conference conference;
    private final Transfers transfers;
    private final CallRecorder recorder;
    private final Queues queues;
    private final Menus menus;
    private final Voicemails voicemails;
    private final Supervision supervision;

    public CallEngine(AsteriskGateway asterisk, AgentDirectory agents, RoutingService routing, CallStore store,
                      CallProperties properties, String application, Clock clock, Executor executor, CallTimer timer,
                      OutboundGuard guard, Consumer<CallUpdated> updates, DialledLeads leads, QueueStore queueStore,
                      InboundRoutes routes, VoicemailBoxes voicemailBoxes) {
        this.clock = clock;
        this.lanes = new Lanes<>(executor);
        this.registry = new CallRegistry(updates, guard, new LiveViews(store));
        // Each call's writer commits its steps in order, off the lane; a refused write is retried before later ones.
        CallSaves saves = new CallSaves(store, (callId, after, task) -> timer.schedule(after, task), lanes::execute, executor);
        registry.saveWith(saves);
        this.steps = new CallSteps(registry, lanes, clock);

        this.parties = new Parties(new GatewayCommands(asterisk, registry.callByChannel), agents, properties, clock);
        this.transfers = new Transfers(parties, agents, properties, clock);
        this.conference = new Conference(parties, agents, properties, clock);
        this.recorder = new CallRecorder(parties.commands(), new OrderedRecordingRows(store, saves), routing,
                properties.recordingsDirectory(), clock, timer, this::onEvent);
        TalkTimeLimit limit = new TalkTimeLimit(parties, properties, clock, timer, steps::later);
        this.lifecycle = new CallLifecycle(parties, agents, limit, transfers, clock);
        this.placed = new PlacedCallFlow(parties, agents, routing, properties, clock);
        this.queues = new Queues(parties, agents, queueStore, properties, clock, timer, steps::later, executor);
        this.menus = new Menus(parties, timer, steps::later, clock);
        this.voicemails = new Voicemails(parties, voicemailBoxes, properties);
        queues.overflowToVoicemail(voicemails::enter);
        CallbackDialler callbacks = new CallbackDialler(queues, agents, routing, guard, this::placeCallback);
        queues.dialCallbacksWith(callbacks);
        placed.callbacksTo(callbacks);
        steps.settleWith(lifecycle);
        this.reconnection = new Reconnection(asterisk, store, application, registry, lanes,
                new Reconciliation(parties, agents, store, limit, clock, queues::reconnected,
                        call -> recorder.mode() == CallRecorder.Mode.MIXMONITOR ? mixMonitorOf(asterisk, call)
                                : asterisk.liveRecording(call.recordingName)), lifecycle, parties, queues,
                clock, executor);
        this.supervision = new Supervision(parties.commands(), properties.agentRingTimeout());
        this.starts = new CallStarts(registry, lanes, lifecycle, parties, placed, clock);
        for (EnteringFlow flow : List.of(new InboundFlow(parties, agents, routing, properties, queues, menus, voicemails, routes, guard),
                new AgentDialFlow(parties, agents, routing, guard, properties),
                new LeadHandoverFlow(parties, agents, routing, properties, leads))) {
            starts.enterWith(flow);
            flows.put(flow.origin(), flow);
        }
        flows.put(placed.origin(), placed);
        parties.reportDialFailuresTo(this::dialFailed);
    }

    /** For operators' metrics: lanes with work, tasks waiting in them, and how long each task waited. */
    int activeLanes() {
        return lanes.activeLanes();
    }

    public int queuedLaneTasks() {
        return lanes.queuedTasks();
    }

    void observeLaneWaits(java.util.function.LongConsumer waitNanos) {
        lanes.observeWaits(waitNanos);
    }

    /** How calls are recorded (callcenter.calls.recording-mode); the bridge unless configured otherwise. */
    public void recordWith(CallRecorder.Mode mode) {
        recorder.mode(mode);
    }

    /** Calls live on this instance: what admission control counts against the limit. */
    public int liveCalls() {
        return registry.size();
    }

    /** The calls this instance runs, as the API shows them: their rows may be a step behind. */
    public LiveViews views() {
        return registry.views;
    }

    /** New inbound calls pass admission control first (call/admission). */
    public void admitWith(io.callcenter.call.admission.Admission admission) {
        ((InboundFlow) starts.flow("inbound")).admitWith(admission);
    }

    /** Unit tests run the orphan check in place instead of after the grace period. */
    void checkOrphansWith(Executor executor) {
        reconnection.checkOrphansWith(executor);
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
        UUID callId = registry.callOf(channelId);
        if (callId != null) {
            lanes.execute(callId, () -> handle(callId, event));
            return;
        }
        if (event instanceof StasisStart start && starts.enter(start)) {
            return;
        }
        if (event instanceof StasisStart start && !start.args().isEmpty() && !Parties.LEG.equals(start.args().getFirst())) {
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
        reconnection.reconnected(info);
    }

    /**
     * Another instance holds the floor now (this one lost its lock, or stands by): the calls in memory are its
     * to run, so they are forgotten here, without a command to Asterisk or a write of their end.
     */
    public void floorGivenUp() {
        registry.standBy(true);
        for (UUID callId : registry.liveIds()) {
            lanes.execute(callId, () -> registry.drop(callId));
        }
    }

    public void floorTaken() {
        registry.standBy(false);
    }

    @Override
    public void onDisconnected() {
        log.warn("Lost the ARI event stream with {} live call(s); they will be reconciled on reconnect", registry.size());
    }

    // ---------------------------------------------------------------- lanes: one call at a time

    /** An event of a live call, handed to the room it concerns; then the call settles and is saved. */
    private void handle(UUID callId, AsteriskEvent event) {
        try {
            handleOnLane(callId, event);
        } catch (RuntimeException e) {
            log.debug("call {}: {} ended in {}", callId, event.getClass().getSimpleName(), e.toString());
        }
    }

    private void handleOnLane(UUID callId, AsteriskEvent event) {
        steps.step(callId, event.at(), call -> {
            if (supervision.on(call, event)) {
                return null;
            }
            switch (event) {
                case StasisStart start -> {
                    // An originated leg enters once answered; one already in its application answers by UP below.
                    if (parties.entered(call, start.channel().id()) && start.channel().state() == ChannelState.UP) {
                        call.leg(start.channel().id()).ifPresent(leg -> answered(call, leg, start.at()));
                    }
                }
                case ChannelStateChanged changed -> {
                    if (changed.channel().state() == ChannelState.UP) {
                        call.leg(changed.channel().id()).filter(leg -> !leg.outsideApplication)
                                .ifPresent(leg -> answered(call, leg, changed.at()));
                    }
                }
                case DialResult dial -> call.leg(dial.peerChannelId()).ifPresent(leg -> {
                    if ("ANSWER".equals(dial.status())) {
                        // Not yet in our application, an originated leg cannot join: its StasisStart follows.
                        if (!leg.outsideApplication) {
                            answered(call, leg, dial.at());
                        }
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
        if (lifecycle.connects(call, leg)) {
            recorder.beforeBridge(call, at);
        }
        if (lifecycle.calleeAnswered(call, leg, at)) {
            recorder.bridged(call, at);
            // Told now, from the lane, not after the call's write: under database pressure that write queued behind
            // every other call's, and the dialler recorded people who had reached their agent as abandoned
            // (BENCHMARKS.md, "the connected notice from the call's lane"). The dialler's record needs no call row.
            flowOf(call).connected(call, at);
        }
    }

    private void legGone(Call call, String channelId, Instant at, int cause, String causeText) {
        supervision.gone(call, channelId, at);
        Leg leg = call.leg(channelId).orElse(null);
        if (leg == null) {
            return;
        }
        recorder.legGone(call, leg);
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

    /** An adopted call's MixMonitor still runs while its channel carries the file name MixMonitor set on it. */
    private static Optional<String> mixMonitorOf(AsteriskGateway asterisk, Call call) {
        String file = "/" + call.recordingName + "." + Recordings.FORMAT;
        return CallRecorder.recordedLeg(call)
                .flatMap(leg -> asterisk.variable(leg.channelId, "MIXMONITOR_FILENAME"))
                .filter(name -> name.endsWith(file)).map(name -> "recording");
    }

    private void recordingEnded(UUID callId, AsteriskEvent.RecordingEnded ended) {
        Call call = registry.call(callId);
        recorder.ended(call, ended);
        if (call != null) {
            registry.afterStep(call);
        }
    }

    /** A voicemail message's recording ended, maybe after its call (the caller hung up while recording). */
    private void voicemailEnded(UUID callId, AsteriskEvent.RecordingEnded ended) {
        if (registry.isLive(callId)) {
            try {
                steps.step(callId, ended.at(), call -> {
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
        lanes.execute(request.callId(), () -> starts.placed(request, callbackOf));
    }

    /** An agent may have become free (presence says AVAILABLE): queued callers get a look. */
    public void agentMayBeFree() {
        queues.agentMayBeFree();
    }

    public String addParticipant(UUID callId, UUID requestedBy, Target target) {
        return steps.command(callId, call -> conference.addParticipant(call, requestedBy, target));
    }

    public String startTransfer(UUID callId, UUID requestedBy, Transfer.Mode mode, Target target) {
        return steps.command(callId, call -> transfers.start(call, requestedBy, mode, target));
    }

    public String completeTransfer(UUID callId, UUID requestedBy) {
        return steps.command(callId, call -> transfers.complete(call, requestedBy));
    }

    public String cancelTransfer(UUID callId, UUID requestedBy) {
        return steps.command(callId, call -> transfers.cancel(call, requestedBy));
    }

    public boolean pauseRecording(UUID callId, UUID requestedBy, boolean paused) {
        return steps.command(callId, call -> recorder.pauseFor(call, requestedBy, paused));
    }

    /** Listen, whisper or barge from the supervisor's phone; again with another mode switches without dropping. */
    public void supervise(UUID callId, UUID supervisorId, String supervisorName, String phoneEndpoint, Mode mode) {
        steps.command(callId, call -> {
            supervision.watch(call, supervisorId, supervisorName, phoneEndpoint, mode, clock.instant());
            return null;
        });
    }

    public void stopSupervising(UUID callId, UUID supervisorId) {
        steps.command(callId, call -> {
            supervision.stop(call, supervisorId, clock.instant());
            return null;
        });
    }
}
