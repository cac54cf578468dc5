package io.callcenter.call.engine;

import io.callcenter.agent.Agent;
import io.callcenter.agent.AgentDirectory;
import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.ChannelSnapshot;
import io.callcenter.asterisk.ChannelState;
import io.callcenter.call.CallUpdated;
import io.callcenter.call.DialledLeads;
import io.callcenter.call.guard.OutboundGuard;
import io.callcenter.call.limit.CallTimer;
import io.callcenter.call.CallState;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.CallProperties;
import io.callcenter.call.queue.QueueLog;
import io.callcenter.call.queue.QueueSettings;
import io.callcenter.call.queue.QueueStore;
import io.callcenter.destination.InboundRoutes;
import io.callcenter.call.recording.Recordings;
import io.callcenter.call.store.CallStore;
import io.callcenter.routing.DoNotCallList;
import io.callcenter.routing.RecordingPolicy;
import io.callcenter.routing.RoutingService;
import io.callcenter.routing.Team;
import io.callcenter.testkit.TestClock;
import org.junit.jupiter.api.BeforeEach;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * The call engine with a fake Asterisk ({@link RecordingGateway}), a fixed clock, an in-place executor and fake
 * timers: every event is handled synchronously and every command Asterisk would receive can be checked in order.
 * Agent reservations behave as the real directory's do: an agent held by one call is refused to any other until
 * released, so reservation conflicts are real in these tests.
 */
public abstract class CallEngineFixture {

    protected static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    protected static final String DID = "+15550100";
    protected static final String CARRIER_CHANNEL = "carrier-1";

    protected final RecordingGateway asterisk = new RecordingGateway();
    protected final AgentDirectory agents = mock(AgentDirectory.class);
    protected final RoutingService routing = mock(RoutingService.class);
    protected final SavedCalls store = new SavedCalls();
    protected final Team team = new Team(UUID.randomUUID(), "Psychology", DID, Duration.ofHours(6));
    protected final Agent alice = new Agent(UUID.randomUUID(), "1001", "Alice", team.id(), Agent.Phone.SIP);
    protected final Agent bob = new Agent(UUID.randomUUID(), "1002", "Bob", team.id(), Agent.Phone.SIP);
    protected final FakeTimer timers = new FakeTimer();
    /** Stands at T0 unless a test moves it (queue waits are measured with it). */
    protected final TestClock clock = new TestClock(T0);
    protected final DialledLeads dialer = mock(DialledLeads.class);
    protected final DoNotCallList dnc = mock(DoNotCallList.class);
    protected final OutboundGuard guard = new OutboundGuard(dnc, Clock.fixed(T0, ZoneOffset.UTC), 20);
    protected final List<CallUpdated> updates = new ArrayList<>();
    /** Which call holds each agent, as AgentDirectory keeps it. */
    protected final Map<UUID, UUID> reservations = new HashMap<>();
    /** No queue configured unless a test gives the team one. */
    protected final FakeQueueStore queueStore = new FakeQueueStore();
    protected final FakeVoicemailBoxes voicemailBoxes = new FakeVoicemailBoxes();
    /** A DID's own destination (already through its schedules), by number; none unless a test gives one. */
    protected final Map<String, InboundRoutes.Route> routes = new HashMap<>();
    protected CallEngine engine;
    private int enteredLegs;

    @BeforeEach
    void startEngine() {
        engine = newAppInstance();
        // No routing memory here: every lookup reaches the stubs (RoutingMemoryTest covers the memory).
        when(routing.pin()).thenReturn(io.callcenter.routing.memory.RoutingMemory.Recall.THROUGH);
        when(routing.teamForNumber(DID)).thenReturn(Optional.of(team));
        when(routing.team(team.id())).thenReturn(Optional.of(team));
        when(routing.recordingPolicy(any())).thenReturn(RecordingPolicy.NONE);
        for (Agent agent : List.of(alice, bob)) {
            when(agents.byId(agent.id())).thenReturn(Optional.of(agent));
            when(agents.byExtension(agent.extension())).thenReturn(Optional.of(agent));
            when(agents.reachableAndIdle(agent)).thenReturn(true);
            when(agents.isReachable(agent)).thenReturn(true);
        }
        when(agents.tryReserve(any(), any())).thenAnswer(invocation -> {
            UUID agentId = invocation.getArgument(0);
            UUID callId = invocation.getArgument(1);
            return reservations.putIfAbsent(agentId, callId) == null || callId.equals(reservations.get(agentId));
        });
        doAnswer(invocation -> reservations.remove(invocation.<UUID>getArgument(0), invocation.<UUID>getArgument(1)))
                .when(agents).release(any(), any());
        doAnswer(invocation -> reservations.remove(invocation.<UUID>getArgument(0), invocation.<UUID>getArgument(1)))
                .when(agents).callEnded(any(), any(), any(), any());
        when(agents.availableInTeam(team.id())).thenReturn(List.of(alice, bob));
        when(agents.availableInTeam(org.mockito.ArgumentMatchers.eq(team.id()), org.mockito.ArgumentMatchers.any())).thenReturn(List.of(alice, bob));
    }

    /** An engine on the same fakes: the app as a new instance starts it (nothing in memory, the database kept). */
    protected CallEngine newAppInstance() {
        CallProperties properties = new CallProperties(Duration.ofSeconds(20), Duration.ofSeconds(60), "telnyx", "US",
                null, null, null, null, null, null, null, null, null, null, null);
        CallEngine fresh = new CallEngine(asterisk, agents, routing, store, properties, "callcenter",
                clock, Runnable::run, timers, guard, updates::add, dialer, queueStore, new FakeRoutes(), voicemailBoxes);
        fresh.checkOrphansWith(Runnable::run);
        return fresh;
    }

    /** Collects scheduled tasks; {@link #runDue} runs them in scheduling order, as time passing would. */
    protected static final class FakeTimer implements CallTimer {
        public final List<Duration> delays = new ArrayList<>();
        final List<Runnable> tasks = new ArrayList<>();
        private final List<Map.Entry<Duration, Runnable>> pending = new ArrayList<>();

        @Override
        public void schedule(Duration delay, Runnable task) {
            delays.add(delay);
            tasks.add(task);
            pending.add(Map.entry(delay, task));
        }

        /** The app stopped: what it had scheduled dies with it. */
        public void forgetAll() {
            delays.clear();
            tasks.clear();
            pending.clear();
        }

        /** Runs the tasks scheduled with this delay only (e.g. the announcements, not the max wait). */
        public void runDelayed(Duration delay) {
            List<Runnable> due = pending.stream().filter(task -> task.getKey().equals(delay)).map(Map.Entry::getValue).toList();
            pending.removeIf(task -> task.getKey().equals(delay));
            due.forEach(tasks::remove);
            due.forEach(Runnable::run);
        }

        public void runDue() {
            List<Runnable> due = List.copyOf(tasks);
            tasks.clear();
            pending.clear();
            due.forEach(Runnable::run);
        }
    }

    protected void carrierCalls(String number) {
        event(new AsteriskEvent.StasisStart(T0, new ChannelSnapshot(CARRIER_CHANNEL, "PJSIP/telnyx-00000001",
                ChannelState.RING, "+15551230000", "", "", "from-trunk", number, "Stasis", "callcenter,inbound", T0),
                List.of("inbound")));
        createdLegsEnterApp();
    }

    protected void agentDials(String number) {
        event(new AsteriskEvent.StasisStart(T0, new ChannelSnapshot("agent-1", "PJSIP/1001-00000001",
                ChannelState.RING, "1001", "Alice", "", "from-agents", number, "Stasis", "callcenter,dial", T0),
                List.of("dial")));
        createdLegsEnterApp();
    }

    /** Asterisk puts a created channel into the application (StasisStart) before the engine may dial it. */
    protected void createdLegsEnterApp() {
        for (int n = enteredLegs; n < asterisk.created.size(); n++) {
            enteredLegs++;
            event(new AsteriskEvent.StasisStart(T0, channel(leg(n), asterisk.created.get(n).endpoint() + "-1",
                    ChannelState.DOWN), List.of("leg", "x")));
        }
    }

    protected void callerHangsUp(Instant at, int cause) {
        event(new AsteriskEvent.HangupRequested(at, CARRIER_CHANNEL, cause));
        event(new AsteriskEvent.StasisEnd(at, CARRIER_CHANNEL));
    }

    /** An inbound call answered by alice: carrier and alice talking in the call's bridge. */
    protected UUID talkingInbound() {
        carrierCalls(DID);
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        return saved().id;
    }

    protected void event(AsteriskEvent event) {
        engine.onEvent(event);
    }

    protected Call saved() {
        return store.saved.getLast();
    }

    protected String bridge() {
        return saved().bridgeId;
    }

    /** The n-th leg the engine created (its channel id is a UUID chosen by the engine). */
    protected String leg(int n) {
        return asterisk.created.get(n).channelId();
    }

    protected static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    protected static ChannelSnapshot channel(String id, String name, ChannelState state) {
        return new ChannelSnapshot(id, name, state, "", "", "", "", "", "", "", T0);
    }

    /** Number routes and menus by id, as the destination module would answer after following schedules. */
    protected final Map<UUID, io.callcenter.destination.VoiceMenu> menus = new HashMap<>();

    private final class FakeRoutes implements InboundRoutes {
        @Override
        public Optional<InboundRoutes.Route> route(String e164, Instant at) {
            return Optional.ofNullable(routes.get(e164));
        }

        @Override
        public InboundRoutes.Route follow(io.callcenter.destination.Destination from, Instant at) {
            return new InboundRoutes.Route(from, List.of());
        }

        @Override
        public Optional<io.callcenter.destination.VoiceMenu> menu(UUID menuId) {
            return Optional.ofNullable(menus.get(menuId));
        }
    }

    /** Queues by team and the queue log as appended, in memory. */
    /** Voicemail boxes by id; what the room told the boxes, as lines; {@code keep}: whether a message is kept. */
    protected static final class FakeVoicemailBoxes implements io.callcenter.voicemail.VoicemailBoxes {
        public final Map<UUID, io.callcenter.voicemail.VoicemailBox> boxes = new HashMap<>();
        public final List<String> lines = new ArrayList<>();
        public boolean keep = true;

        @Override
        public Optional<io.callcenter.voicemail.VoicemailBox> box(UUID boxId) {
            return Optional.ofNullable(boxes.get(boxId));
        }

        @Override
        public void messageStarted(UUID boxId, UUID callId, String callerNumber, String recordingName, Instant at) {
            lines.add("started " + recordingName + " from " + callerNumber);
        }

        @Override
        public boolean messageEnded(String recordingName, Instant at, MessageFile file, boolean failed) {
            lines.add("ended " + recordingName + (failed ? " failed" : ""));
            return keep && !failed;
        }

        @Override
        public List<String> unfinishedMessages(Instant startedBefore) {
            return List.of();
        }
    }

    protected static final class FakeQueueStore implements QueueStore {
        public final Map<UUID, QueueSettings> byTeam = new HashMap<>();
        public final List<QueueLog> log = new ArrayList<>();

        @Override public Optional<QueueSettings> forTeam(UUID teamId) { return Optional.ofNullable(byTeam.get(teamId)); }
        @Override public Optional<QueueSettings> byId(UUID queueId) {
            return byTeam.values().stream().filter(queue -> queue.id().equals(queueId)).findFirst();
        }
        public final Map<UUID, List<Member>> members = new HashMap<>();
        public final Map<UUID, Integer> answered = new HashMap<>();

        @Override public void append(List<QueueLog> rows) { log.addAll(rows); }
        public final java.util.Set<UUID> callbacksEnabled = new java.util.HashSet<>();
        @Override public boolean callbackEnabled(UUID queueId) { return callbacksEnabled.contains(queueId); }
        private final List<java.util.function.Consumer<UUID>> listeners = new ArrayList<>();
        @Override public void onChange(java.util.function.Consumer<UUID> listener) { listeners.add(listener); }
        /** As the repository does once an edit through the API is committed. */
        public void edited(QueueSettings queue) {
            byTeam.put(queue.teamId(), queue);
            listeners.forEach(listener -> listener.accept(queue.id()));
        }
        /** Set: reading the members fails as with the database away. */
        public RuntimeException outage;

        @Override public List<Member> members(UUID queueId) {
            if (outage != null) {
                throw outage;
            }
            return members.getOrDefault(queueId, List.of());
        }
        @Override public Map<UUID, Integer> answeredSince(java.time.Instant since) { return Map.copyOf(answered); }
        @Override public Optional<Joined> joined(UUID callId) {
            List<QueueLog> joins = log.stream()
                    .filter(row -> row.callId().equals(callId) && row.type() == QueueLog.Type.JOINED).toList();
            return joins.isEmpty() ? Optional.empty() : Optional.of(new Joined(joins.getLast().queueId(),
                    joins.getLast().at(), joins.getFirst().at()));
        }

        /** The log as "type agent-extension-or-id wait-seconds", readable in assertions. */
        public List<String> lines() {
            return log.stream().map(row -> row.type() + " " + row.waited().toSeconds() + "s"
                    + (row.position() == null ? "" : " #" + row.position())).toList();
        }
    }

    /** Keeps what the engine saved; the real repository is exercised by the integration tests. */
    protected static final class SavedCalls implements CallStore {
        public final List<Call> saved = new ArrayList<>();
        final List<Call.Transition> transitions = new ArrayList<>();
        public final List<String> recordings = new ArrayList<>();

        /** Set: every save fails as with the database away. */
        public RuntimeException outage;

        /** The call itself stands for its rows (the engine's tests read its present state), with its transitions. */
        private record FakeWrite(Call call, List<Call.Transition> written) implements Write {
            @Override
            public int transitions() {
                return written.size();
            }

            @Override
            public Write then(Write later) {
                List<Call.Transition> both = new ArrayList<>(written);
                both.addAll(((FakeWrite) later).written);
                return new FakeWrite(call, both);
            }
        }

        /** Every write the engine handed over, in the order it was written. */
        public int writes;

        /** The call's present and its log: what the engine's tests of the live views read (the rest: ITs). */
        @Override
        public io.callcenter.call.store.CallView view(Call call, List<Call.Transition> history) {
            return viewOf(call, history);
        }

        static io.callcenter.call.store.CallView viewOf(Call call, List<Call.Transition> history) {
            return new io.callcenter.call.store.CallView(call.id, call.direction.dbValue(), call.state().name(), null,
                    call.fromNumber, call.toNumber, call.leadId, call.agentId, call.teamId, call.createdAt,
                    call.answeredAt, call.endedAt, call.hangupCause, null, null, null, null, call.recordingState(),
                    call.recordingFailed, null, List.of(), history.stream().map(t -> new io.callcenter.call.store.CallView.EventView(
                    t.at(), t.from() == null ? null : t.from().name(), t.to().name(), t.event(), t.detail())).toList());
        }

        @Override
        public Write render(Call call, List<Call.Transition> transitions) {
            return new FakeWrite(call, List.copyOf(transitions));
        }

        @Override
        public void write(Write write) {
            if (outage != null) {
                throw outage;
            }
            FakeWrite fake = (FakeWrite) write;
            saved.remove(fake.call());
            saved.add(fake.call());
            transitions.addAll(fake.written());
            writes++;
        }

        public List<String> transitionEvents() {
            return transitions.stream().map(Call.Transition::event).toList();
        }

        public List<String> transitionsDetails() {
            return transitions.stream().map(Call.Transition::detail).toList();
        }

        public List<String> transitions() {
            // Notes (no change of state) are in the log too; these are the state changes.
            return transitions.stream().filter(t -> t.from() != t.to()).map(t -> t.from() + ">" + t.to()).toList();
        }

        /** Set: the saved calls not ended are open in the "database", for a new app instance to load. */
        public boolean restorable;

        private List<Call> open() {
            return restorable ? saved.stream().filter(call -> call.state() != CallState.ENDED).toList() : List.of();
        }

        @Override public List<UUID> openCallIds() { return open().stream().map(call -> call.id).toList(); }
        @Override public List<String> openLegChannelIds() {
            return open().stream().flatMap(call -> call.liveLegs().stream()).map(leg -> leg.channelId).toList();
        }
        @Override public Optional<Call> loadOpen(UUID id) {
            // As the repository loads it: which bridges were made is not stored, so it counts the call's as made.
            return open().stream().filter(call -> call.id.equals(id)).findFirst().map(call -> {
                call.bridgeCreated = true;
                return call;
            });
        }
        @Override public void recordingStarted(UUID callId, String name, String format, Instant at) {
            if (outage != null) {
                throw outage;
            }
            recordings.add("started " + name);
        }
        @Override public void recordingFinished(String name, Instant at, Recordings.FileFacts facts, boolean recovered) { recordings.add("finished " + name); }
    }
}
