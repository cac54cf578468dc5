package io.callcenter.call.inbound;

import io.callcenter.call.CallState;
import io.callcenter.call.engine.CallEngineFixture;
import io.callcenter.call.model.Call;
import io.callcenter.call.queue.QueueSettings;
import io.callcenter.call.queue.QueueStrategy;
import io.callcenter.destination.Destination;
import io.callcenter.destination.InboundRoutes;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;

/** A number with a destination of its own (after its schedules) sends its calls there, the path in the call's log. */
class InboundDestinationsTest extends CallEngineFixture {

    private void routeTo(Destination destination, String... path) {
        routes.put(DID, new InboundRoutes.Route(destination, List.of(path)));
    }

    @Test
    void a_closed_schedule_leading_to_a_message_plays_it_and_logs_the_path() {
        routeTo(new Destination.Announcement("sound:vm-nobodyavail"), "schedule Office: closed");
        carrierCalls(DID);

        assertThat(asterisk.drain()).containsExactly("answer " + CARRIER_CHANNEL, "play " + CARRIER_CHANNEL + " sound:vm-nobodyavail");
        Call call = saved();
        assertThat(call.state()).isEqualTo(CallState.ANNOUNCING);
        assertThat(call.hangupCause).isEqualTo("announcement");
        assertThat(store.transitionEvents()).contains("routed", "destination");
        assertThat(store.transitionsDetails()).contains("schedule Office: closed", "announcement sound:vm-nobodyavail");
    }

    @Test
    void a_queue_destination_joins_that_queue_even_if_the_team_has_none_of_its_own() {
        QueueSettings night = queue("Night");
        queueStore.byTeam.put(UUID.randomUUID(), night);
        when(agents.availableInTeam(team.id())).thenReturn(List.of());
        when(agents.availableInTeam(org.mockito.ArgumentMatchers.eq(team.id()), org.mockito.ArgumentMatchers.any())).thenReturn(List.of());
        routeTo(new Destination.Queue(night.id()), "schedule Office: open");
        carrierCalls(DID);

        assertThat(saved().state()).isEqualTo(CallState.QUEUED);
        assertThat(asterisk.drain()).contains("createHoldingBridge " + night.bridgeId());
    }

    @Test
    void an_agent_destination_rings_that_agent_only() {
        routeTo(new Destination.Agent(bob.id()));
        carrierCalls(DID);

        assertThat(asterisk.drain()).containsExactly("ring " + CARRIER_CHANNEL,
                "createChannel PJSIP/1002", "dial " + leg(0) + " 20s");
    }

    @Test
    void a_number_destination_is_dialled_through_the_trunk() {
        routeTo(new Destination.Number("+15557654321"));
        carrierCalls(DID);

        assertThat(asterisk.drain()).containsExactly("createChannel PJSIP/+15557654321@telnyx",
                "dial " + leg(0) + " 60s");
        assertThat(saved().state()).isEqualTo(CallState.RINGING);
    }

    @Test
    void a_number_destination_on_the_do_not_call_list_is_refused_with_a_message() {
        when(dnc.contains("+15557654321")).thenReturn(true);
        routeTo(new Destination.Number("+15557654321"));
        carrierCalls(DID);

        assertThat(asterisk.drain()).containsExactly("answer " + CARRIER_CHANNEL, "play " + CARRIER_CHANNEL + " sound:ss-noservice");
        assertThat(saved().hangupCause).isEqualTo("do_not_call");
        assertThat(asterisk.created).isEmpty();
    }

    @Test
    void the_dialplan_can_send_any_extension_into_a_queue_by_its_id() {
        QueueSettings support = queue("Support");
        queueStore.byTeam.put(team.id(), support);
        when(agents.availableInTeam(team.id())).thenReturn(List.of());
        when(agents.availableInTeam(org.mockito.ArgumentMatchers.eq(team.id()), org.mockito.ArgumentMatchers.any())).thenReturn(List.of());
        dialplanSendsToQueue(support.id().toString());

        assertThat(saved().state()).isEqualTo(CallState.QUEUED);
        assertThat(saved().teamId).isEqualTo(team.id());
        assertThat(queueStore.log).extracting(row -> row.queueId()).containsExactly(support.id());
    }

    @Test
    void a_dialplan_queue_that_does_not_exist_is_told_so() {
        dialplanSendsToQueue("x");

        assertThat(saved().state()).isEqualTo(CallState.ANNOUNCING);
        assertThat(saved().hangupCause).isEqualTo("unallocated_number");
    }

    /** extensions.conf's {@code exten => _queue-.}: Stasis(callcenter,inbound,queue,<id>). */
    private void dialplanSendsToQueue(String id) {
        event(new io.callcenter.asterisk.AsteriskEvent.StasisStart(T0, new io.callcenter.asterisk.ChannelSnapshot(
                CARRIER_CHANNEL, "PJSIP/telnyx-00000001", io.callcenter.asterisk.ChannelState.RING, "+15551230000", "", "",
                "from-trunk", "queue-" + id, "Stasis", "callcenter,inbound,queue," + id, T0), List.of("inbound", "queue", id)));
    }

    private QueueSettings queue(String name) {
        return new QueueSettings(UUID.randomUUID(), team.id(), name, QueueStrategy.LONGEST_IDLE, Duration.ofSeconds(15),
                Duration.ofSeconds(60), Duration.ZERO, Duration.ofSeconds(20), "default",
                new QueueSettings.Overflow(QueueSettings.Overflow.Kind.ANNOUNCEMENT, "sound:vm-nobodyavail"), 0, null);
    }
}
