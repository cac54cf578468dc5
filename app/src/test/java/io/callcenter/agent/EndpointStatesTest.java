package io.callcenter.agent;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.AsteriskInfo;
import io.callcenter.asterisk.EndpointSnapshot;
import io.callcenter.call.engine.RecordingGateway;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Routing's view of the agents' phones: listed once per connection, then kept by Asterisk's events. */
class EndpointStatesTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private final RecordingGateway asterisk = new RecordingGateway();
    private final EndpointStates states = new EndpointStates(asterisk);

    private void asteriskHas(String resource, boolean online, String... channels) {
        asterisk.endpoints.put(resource, new EndpointSnapshot("PJSIP", resource, online, List.of(channels)));
    }

    @Test
    void after_connecting_the_phones_are_read_from_the_listing_and_the_events_not_asked_per_call() {
        asteriskHas("1001", true);
        asteriskHas("1002", false);
        states.onConnected(new AsteriskInfo("22", "test", T0));
        assertThat(asterisk.commands).as("the phones are subscribed to by AgentProvisioner, never the technology")
                .isEmpty();

        asteriskHas("1001", false);
        assertThat(states.of("1001").online()).as("the listing, not a request").isTrue();

        states.onEvent(new AsteriskEvent.EndpointStateChanged(T0, "PJSIP", "1001", true, List.of("chan-1")));
        states.onEvent(new AsteriskEvent.EndpointStateChanged(T0, "PJSIP", "1002", true, List.of()));
        states.onEvent(new AsteriskEvent.EndpointStateChanged(T0, "IAX2", "1002", false, List.of()));
        assertThat(states.of("1001").channelIds()).as("busy from the event").containsExactly("chan-1");
        assertThat(states.all().get("1002").online()).as("online from the event; other technologies ignored").isTrue();

        states.onEvent(new AsteriskEvent.EndpointStateChanged(T0, "PJSIP", "1001", true, List.of()));
        assertThat(states.of("1001").channelIds()).as("its channel gone").isEmpty();
    }

    @Test
    void a_phone_the_events_say_is_offline_is_asked_again_its_registration_may_be_ahead_of_its_event() {
        asteriskHas("1002", false);
        states.onConnected(new AsteriskInfo("22", "test", T0));
        asteriskHas("1002", true);
        assertThat(states.of("1002").online()).as("registered, its event not here yet").isTrue();

        asteriskHas("1001", true);
        states.onEvent(new AsteriskEvent.EndpointStateChanged(T0, "PJSIP", "1001", true, List.of()));
        asteriskHas("1001", false);
        assertThat(states.of("1001").online()).as("an online phone is taken from the events").isTrue();
    }

    @Test
    void a_phone_not_listed_yet_or_a_lost_stream_is_asked_of_asterisk() {
        states.onConnected(new AsteriskInfo("22", "test", T0));
        asteriskHas("2001", true, "chan-9");
        assertThat(states.of("2001").channelIds()).as("created since the listing").containsExactly("chan-9");

        asteriskHas("1001", true);
        states.onEvent(new AsteriskEvent.EndpointStateChanged(T0, "PJSIP", "1001", false, List.of()));
        states.onDisconnected();
        assertThat(states.of("1001").online()).as("events may be missed while the stream is down").isTrue();
        assertThat(states.all()).containsKeys("1001", "2001");
    }
}
