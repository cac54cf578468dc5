package io.callcenter.agent;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.AsteriskGateway;
import io.callcenter.asterisk.AsteriskInfo;
import io.callcenter.asterisk.EndpointSnapshot;
import io.callcenter.agent.AgentPresence.State;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * Agent states derived from facts (registration, calls, wrap-up, the agent's choice), with changes applied in
 * place and wrap-up timers run on demand: every published state and the routing answer are checked.
 */
class AgentPresenceTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private final AgentRepository repository = mock(AgentRepository.class);
    private final AsteriskGateway asterisk = mock(AsteriskGateway.class);
    private final ScheduledExecutorService timers = mock(ScheduledExecutorService.class);
    private final List<Runnable> scheduled = new ArrayList<>();
    private final List<AgentPresence.StateChanged> published = new ArrayList<>();
    private final Agent alice = new Agent(UUID.randomUUID(), "1001", "Alice", UUID.randomUUID(), Agent.Phone.WEBRTC);
    private AgentPresence presence;

    @BeforeEach
    void setUp() {
        when(repository.findById(alice.id())).thenReturn(Optional.of(alice));
        when(repository.findByExtension("1001")).thenReturn(Optional.of(alice));
        when(repository.findAll()).thenReturn(List.of(alice));
        when(repository.chosenState(alice.id())).thenReturn(Optional.of("AVAILABLE"));
        when(timers.schedule(any(Runnable.class), anyLong(), eq(TimeUnit.MILLISECONDS))).thenAnswer(invocation -> {
            scheduled.add(invocation.getArgument(0));
            return mock(ScheduledFuture.class);
        });
        presence = new AgentPresence(repository, asterisk, Clock.fixed(T0, ZoneOffset.UTC), Runnable::run, timers,
                published::add);
    }

    @Test
    void an_agent_is_offline_until_their_phone_is_reachable_then_available() {
        assertThat(presence.stateOf(alice.id())).isEqualTo(State.OFFLINE);
        phone(true);
        assertThat(presence.stateOf(alice.id())).isEqualTo(State.AVAILABLE);
        phone(false);
        assertThat(states()).containsExactly(State.AVAILABLE, State.OFFLINE);
    }

    @Test
    void a_phone_coming_online_while_the_database_is_away_makes_a_known_agent_available() {
        presence.choose(alice.id(), State.AVAILABLE);
        assertThat(presence.stateOf(alice.id())).isEqualTo(State.OFFLINE);
        when(repository.findByExtension("1001")).thenThrow(new org.springframework.jdbc.CannotGetJdbcConnectionException(
                "no connection", new java.sql.SQLTransientConnectionException("database unavailable", "08001")));
        phone(true);
        assertThat(presence.stateOf(alice.id())).isEqualTo(State.AVAILABLE);
    }

    @Test
    void the_registrations_are_read_again_on_every_connect() {
        when(asterisk.endpoints("PJSIP")).thenReturn(List.of(new EndpointSnapshot("PJSIP", "1001", true, List.of())));
        presence.onConnected(new AsteriskInfo("22", "x", T0));
        assertThat(presence.stateOf(alice.id())).isEqualTo(State.AVAILABLE);
        // The agents' phones are subscribed to by AgentProvisioner (PhoneSubscriptions), never the whole technology.
        org.mockito.Mockito.verify(asterisk, org.mockito.Mockito.never()).subscribeEndpoints(any(), any());
    }

    @Test
    void a_call_puts_the_agent_on_call_then_in_wrap_up_until_the_disposition() {
        phone(true);
        UUID call = UUID.randomUUID();
        presence.callStarted(alice.id(), call);
        assertThat(presence.stateOf(alice.id())).isEqualTo(State.ON_CALL);
        presence.callEnded(alice.id(), call, Duration.ofSeconds(60));
        assertThat(presence.current(alice.id()).state()).isEqualTo(State.WRAP_UP);
        assertThat(presence.current(alice.id()).callId()).isEqualTo(call);
        assertThat(presence.takesCalls(alice.id())).as("no calls offered during wrap-up").isFalse();

        presence.wrapUpDone(alice.id(), call, "disposition INTERESTED");
        assertThat(presence.stateOf(alice.id())).isEqualTo(State.AVAILABLE);
        assertThat(presence.takesCalls(alice.id())).isTrue();
        assertThat(states()).containsExactly(State.AVAILABLE, State.ON_CALL, State.WRAP_UP, State.AVAILABLE);
    }

    @Test
    void wrap_up_ends_by_itself_when_its_time_is_over_but_a_stale_timer_does_not_end_a_newer_wrap_up() {
        phone(true);
        UUID first = UUID.randomUUID();
        presence.callStarted(alice.id(), first);
        presence.callEnded(alice.id(), first, Duration.ofSeconds(60));
        UUID second = UUID.randomUUID();
        presence.callStarted(alice.id(), second);
        presence.callEnded(alice.id(), second, Duration.ofSeconds(60));

        scheduled.getFirst().run();
        assertThat(presence.current(alice.id()).callId()).as("the first call's timer is stale").isEqualTo(second);
        scheduled.get(1).run();
        assertThat(presence.stateOf(alice.id())).isEqualTo(State.AVAILABLE);
    }

    @Test
    void a_ring_the_agent_never_answered_leaves_no_wrap_up() {
        phone(true);
        UUID call = UUID.randomUUID();
        presence.callStarted(alice.id(), call);
        presence.callReleased(alice.id(), call);
        assertThat(presence.stateOf(alice.id())).isEqualTo(State.AVAILABLE);
    }

    @Test
    void break_is_the_agents_choice_and_keeps_calls_away_and_survives_going_offline() {
        phone(true);
        presence.choose(alice.id(), State.BREAK);
        assertThat(presence.stateOf(alice.id())).isEqualTo(State.BREAK);
        assertThat(presence.takesCalls(alice.id())).isFalse();
        phone(false);
        phone(true);
        assertThat(presence.stateOf(alice.id())).isEqualTo(State.BREAK);
        presence.choose(alice.id(), State.AVAILABLE);
        assertThat(presence.takesCalls(alice.id())).isTrue();
        assertThatThrownBy(() -> presence.choose(alice.id(), State.ON_CALL)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void an_agent_whose_state_is_not_yet_known_after_a_restart_is_offered_nothing() {
        when(repository.chosenState(alice.id())).thenReturn(Optional.of("BREAK"));
        assertThat(presence.takesCalls(alice.id())).as("before the first resynchronisation").isFalse();
        when(asterisk.endpoints("PJSIP")).thenReturn(List.of(new EndpointSnapshot("PJSIP", "1001", true, List.of())));
        presence.onConnected(new AsteriskInfo("22", "x", T0));
        assertThat(presence.stateOf(alice.id())).isEqualTo(State.BREAK);
        assertThat(presence.takesCalls(alice.id())).as("the break chosen before the restart holds").isFalse();
        presence.choose(alice.id(), State.AVAILABLE);
        assertThat(presence.takesCalls(alice.id())).isTrue();
    }

    @Test
    void a_known_agents_phone_is_not_looked_up_in_the_database_again_on_every_change() {
        phone(true);
        phone(false);
        phone(true);
        assertThat(states()).containsExactly(State.AVAILABLE, State.OFFLINE, State.AVAILABLE);
        org.mockito.Mockito.verify(repository, org.mockito.Mockito.times(1)).findByExtension("1001");
    }

    @Test
    void an_endpoint_that_is_no_agents_is_asked_again_only_after_a_while_so_an_agent_created_since_is_found() {
        io.callcenter.testkit.TestClock clock = new io.callcenter.testkit.TestClock(T0);
        presence = new AgentPresence(repository, asterisk, clock, Runnable::run, timers, published::add);
        when(repository.findByExtension("telnyx")).thenReturn(Optional.empty());
        presence.onEvent(new AsteriskEvent.EndpointStateChanged(T0, "PJSIP", "telnyx", true));
        presence.onEvent(new AsteriskEvent.EndpointStateChanged(T0, "PJSIP", "telnyx", true));
        org.mockito.Mockito.verify(repository, org.mockito.Mockito.times(1)).findByExtension("telnyx");

        Agent bob = new Agent(UUID.randomUUID(), "telnyx", "Bob", alice.teamId(), Agent.Phone.SIP);
        when(repository.findByExtension("telnyx")).thenReturn(Optional.of(bob));
        when(repository.findById(bob.id())).thenReturn(Optional.of(bob));
        clock.advance(AgentPresence.NOT_AN_AGENT_FOR.plusMillis(1));
        presence.onEvent(new AsteriskEvent.EndpointStateChanged(clock.instant(), "PJSIP", "telnyx", true));
        assertThat(presence.stateOf(bob.id())).isEqualTo(State.AVAILABLE);
    }

    private void phone(boolean online) {
        presence.onEvent(new AsteriskEvent.EndpointStateChanged(T0, "PJSIP", "1001", online));
    }

    private List<State> states() {
        return published.stream().map(AgentPresence.StateChanged::state).toList();
    }
}
