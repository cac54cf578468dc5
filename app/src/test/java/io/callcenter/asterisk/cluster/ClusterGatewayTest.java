package io.callcenter.asterisk.cluster;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.AsteriskEventListener;
import io.callcenter.asterisk.AsteriskException;
import io.callcenter.asterisk.AsteriskGateway;
import io.callcenter.asterisk.AsteriskInfo;
import io.callcenter.asterisk.ChannelSnapshot;
import io.callcenter.asterisk.ChannelState;
import io.callcenter.asterisk.EndpointSnapshot;
import io.callcenter.call.engine.RecordingGateway;
import io.callcenter.testkit.TestClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The app's one gateway over two Asterisk nodes: every command reaches the node its channel, bridge, playback or
 * recording lives on, what concerns all nodes reaches every node that is up, and a node that stays away has its
 * channels reported gone with {@code media_node_lost}. Fakes of our own port stand in for the two nodes.
 */
class ClusterGatewayTest {

    private final RecordingGateway a = new RecordingGateway();
    private final RecordingGateway b = new RecordingGateway();
    private final List<AsteriskEvent> heard = new ArrayList<>();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T12:00:00Z"));
    private ClusterGateway cluster;
    private ClusterEvents events;
    private final ManualTimer timer = new ManualTimer();

    @BeforeEach
    void twoNodesUp() {
        Map<String, AsteriskGateway> nodes = new LinkedHashMap<>();
        nodes.put("a", a);
        nodes.put("b", b);
        cluster = new ClusterGateway(nodes);
        events = new ClusterEvents(cluster, new AsteriskEventListener() {
            @Override
            public void onEvent(AsteriskEvent event) {
                heard.add(event);
            }

            @Override
            public void onConnected(AsteriskInfo info) {
            }

            @Override
            public void onDisconnected() {
            }
        }, Duration.ofSeconds(10), timer, clock);
        events.forNode("a").onConnected(new AsteriskInfo("22", "02:00:00:00:00:01", Instant.EPOCH));
        events.forNode("b").onConnected(new AsteriskInfo("22", "02:00:00:00:00:02", Instant.EPOCH));
    }

    @Test
    void a_channel_is_commanded_on_the_node_whose_events_brought_it() {
        arrives("b", "caller-1");

        cluster.answer("caller-1");
        cluster.hangup("caller-1", AsteriskGateway.HangupReason.NORMAL);

        assertThat(a.commands).isEmpty();
        assertThat(b.drain()).containsExactly("answer caller-1", "hangup caller-1 NORMAL");
        assertThat(heard).hasSize(1);
    }

    @Test
    void a_new_leg_is_made_beside_its_call_and_otherwise_on_the_node_carrying_fewest_channels() {
        arrives("b", "caller-1");
        arrives("a", "caller-2");
        arrives("a", "caller-3");

        cluster.createChannel(new AsteriskGateway.ChannelRequest("agent-1", "PJSIP/1001", List.of(), Map.of(),
                List.of("caller-2")));
        cluster.createChannel(new AsteriskGateway.ChannelRequest("agent-2", "PJSIP/1002", List.of(), Map.of()));
        cluster.dial("agent-1", null, Duration.ofSeconds(8));

        assertThat(a.drain()).containsExactly("createChannel PJSIP/1001", "dial agent-1 8s");
        assertThat(b.drain()).containsExactly("createChannel PJSIP/1002");
    }

    @Test
    void a_call_bridge_is_made_on_the_node_of_its_first_channel_and_records_and_plays_there() {
        arrives("b", "caller-1");
        cluster.createBridge("bridge-1", "bridge-1");
        assertThat(a.commands).isEmpty();
        assertThat(b.commands).as("made only once a channel says where").isEmpty();

        cluster.addToBridge("bridge-1", "caller-1");
        cluster.recordBridge("bridge-1", "rec-1", "wav");
        cluster.playOnBridge("bridge-1", "pb-1", "sound:beep");
        cluster.muteRecording("rec-1", true);
        cluster.stopPlayback("pb-1");
        cluster.destroyBridge("bridge-1");

        assertThat(a.commands).isEmpty();
        assertThat(b.drain()).containsExactly("createBridge bridge-1", "addToBridge caller-1", "recordBridge rec-1.wav",
                "playOnBridge bridge-1 sound:beep", "mute rec-1", "stopPlayback pb-1", "destroyBridge bridge-1");
    }

    @Test
    void a_recording_started_before_this_app_knew_is_found_on_its_node_and_muted_there() {
        b.liveRecordings.put("rec-9", "recording");
        assertThatThrownBy(() -> cluster.muteRecording("rec-9", true)).as("nobody said where it runs")
                .isInstanceOf(AsteriskException.class);

        assertThat(cluster.liveRecording("rec-9")).hasValue("recording");
        assertThat(cluster.liveRecording("rec-0")).as("on no node").isEmpty();
        cluster.muteRecording("rec-9", true);

        assertThat(a.commands).isEmpty();
        assertThat(b.drain()).containsExactly("mute rec-9");
    }

    @Test
    void a_queue_holding_bridge_is_made_with_its_music_on_every_node_with_a_caller_of_the_queue() {
        cluster.createHoldingBridge("queue-1", "queue-1");
        cluster.startMoh("queue-1", "default");
        arrives("a", "caller-1");
        arrives("b", "caller-2");

        cluster.addToBridge("queue-1", "caller-1");
        cluster.addToBridge("queue-1", "caller-2");

        assertThat(a.drain()).containsExactly("createHoldingBridge queue-1", "startMoh queue-1 default", "addToBridge caller-1");
        assertThat(b.drain()).containsExactly("createHoldingBridge queue-1", "startMoh queue-1 default", "addToBridge caller-2");
    }

    @Test
    void a_bridge_made_on_a_node_before_the_app_started_is_joined_there_not_made_again() {
        b.existingBridges.add("queue-1");
        cluster.createHoldingBridge("queue-1", "queue-1");
        arrives("b", "caller-1");

        cluster.addToBridge("queue-1", "caller-1");

        assertThat(b.drain()).containsExactly("addToBridge caller-1");
    }

    @Test
    void what_concerns_every_node_reaches_every_node_that_is_up() {
        events.forNode("a").onDisconnected();

        cluster.subscribeEndpoints("PJSIP", List.of("1001"));
        cluster.messageWaiting("1001@callcenter", 1, 0);

        assertThat(a.commands).isEmpty();
        assertThat(b.drain()).containsExactly("subscribeEndpoints PJSIP [1001]", "messageWaiting 1001@callcenter 1/0");
    }

    @Test
    void an_endpoint_is_online_when_it_is_online_on_any_node() {
        a.endpoints.put("1001", new EndpointSnapshot("PJSIP", "1001", false, List.of()));
        b.endpoints.put("1001", new EndpointSnapshot("PJSIP", "1001", true, List.of("agent-1")));

        assertThat(cluster.endpoint("PJSIP", "1001").online()).isTrue();
        assertThat(cluster.endpoints("PJSIP")).singleElement()
                .satisfies(endpoint -> assertThat(endpoint.channelIds()).containsExactly("agent-1"));
    }

    @Test
    void a_phone_gone_from_one_node_stays_online_for_the_app_while_another_node_that_is_up_has_it() {
        events.forNode("a").onEvent(endpoint(true));
        events.forNode("b").onEvent(endpoint(true));
        events.forNode("a").onEvent(endpoint(false));
        events.forNode("b").onDisconnected();
        events.forNode("a").onEvent(endpoint(false));

        assertThat(heard).extracting(event -> ((AsteriskEvent.EndpointStateChanged) event).online())
                .containsExactly(true, true, true, false);
    }

    private AsteriskEvent endpoint(boolean online) {
        return new AsteriskEvent.EndpointStateChanged(clock.instant(), "PJSIP", "1001", online);
    }

    @Test
    void a_channel_from_before_the_app_started_is_found_in_the_nodes_listing() {
        b.liveChannels = List.of(snapshot("old-1"));

        assertThat(cluster.channels()).extracting(ChannelSnapshot::id).containsExactly("old-1");
        cluster.hangup("old-1", AsteriskGateway.HangupReason.NORMAL);

        assertThat(b.drain()).containsExactly("hangup old-1 NORMAL");
    }

    @Test
    void a_channel_on_no_node_answers_not_found() {
        assertThatThrownBy(() -> cluster.answer("nowhere"))
                .isInstanceOfSatisfying(AsteriskException.class, e -> assertThat(e.isNotFound()).isTrue());
    }

    @Test
    void a_node_that_stays_away_has_its_channels_reported_gone_as_media_node_lost() {
        arrives("a", "caller-1");
        arrives("a", "agent-1");
        arrives("b", "caller-2");
        heard.clear();

        events.forNode("a").onDisconnected();
        assertThat(heard).as("nothing before the grace period ends").isEmpty();
        cluster.createChannel(new AsteriskGateway.ChannelRequest("agent-9", "PJSIP/1009", List.of(), Map.of(),
                List.of("caller-1")));
        assertThat(b.drain()).as("a node that is down gets no new channel").containsExactly("createChannel PJSIP/1009");

        timer.fire();

        assertThat(heard).extracting(event -> ((AsteriskEvent.ChannelDestroyed) event).id())
                .containsExactlyInAnyOrder("caller-1", "agent-1");
        assertThat(heard).allSatisfy(event -> {
            AsteriskEvent.ChannelDestroyed destroyed = (AsteriskEvent.ChannelDestroyed) event;
            assertThat(destroyed.causeText()).isEqualTo(ClusterEvents.MEDIA_NODE_LOST);
            assertThat(destroyed.at()).isEqualTo(clock.instant());
        });
        assertThatThrownBy(() -> cluster.answer("caller-1")).isInstanceOf(AsteriskException.class);
        cluster.answer("caller-2");
        assertThat(b.drain()).containsExactly("answer caller-2");
    }

    @Test
    void a_node_back_within_the_grace_period_loses_nothing() {
        arrives("a", "caller-1");
        heard.clear();

        events.forNode("a").onDisconnected();
        events.forNode("a").onConnected(new AsteriskInfo("22", "02:00:00:00:00:01", Instant.EPOCH));
        timer.fire();

        assertThat(heard).isEmpty();
        cluster.answer("caller-1");
        assertThat(a.drain()).containsExactly("answer caller-1");
    }

    private void arrives(String node, String channelId) {
        events.forNode(node).onEvent(new AsteriskEvent.StasisStart(clock.instant(), snapshot(channelId), List.of()));
    }

    private static ChannelSnapshot snapshot(String id) {
        return new ChannelSnapshot(id, "PJSIP/telnyx-" + id, ChannelState.RING, "+15551230000", "", "", "from-trunk",
                "+15550100", "Stasis", "callcenter", Instant.EPOCH);
    }

    /** Runs what was scheduled only when the test says so (a cancelled task stays cancelled). */
    private static final class ManualTimer extends ScheduledThreadPoolExecutor {
        private final List<java.util.concurrent.ScheduledFuture<?>> scheduled = new ArrayList<>();
        private final List<Runnable> tasks = new ArrayList<>();

        ManualTimer() {
            super(1);
        }

        @Override
        public java.util.concurrent.ScheduledFuture<?> schedule(Runnable command, long delay,
                                                                 java.util.concurrent.TimeUnit unit) {
            java.util.concurrent.FutureTask<Void> task = new java.util.concurrent.FutureTask<>(command, null);
            tasks.add(task);
            ScheduledStub stub = new ScheduledStub(task);
            scheduled.add(stub);
            return stub;
        }

        void fire() {
            List<Runnable> due = List.copyOf(tasks);
            tasks.clear();
            due.forEach(Runnable::run);
        }
    }

    private record ScheduledStub(java.util.concurrent.FutureTask<Void> task)
            implements java.util.concurrent.ScheduledFuture<Object> {
        @Override public long getDelay(java.util.concurrent.TimeUnit unit) { return 0; }
        @Override public int compareTo(java.util.concurrent.Delayed o) { return 0; }
        @Override public boolean cancel(boolean mayInterrupt) { return task.cancel(mayInterrupt); }
        @Override public boolean isCancelled() { return task.isCancelled(); }
        @Override public boolean isDone() { return task.isDone(); }
        @Override public Object get() { return null; }
        @Override public Object get(long timeout, java.util.concurrent.TimeUnit unit) { return null; }
    }
}
