package io.callcenter.agent;

import io.callcenter.asterisk.AsteriskInfo;
import io.callcenter.asterisk.EndpointSnapshot;
import io.callcenter.routing.memory.RoutingMemory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * A new inbound call's free agents, longest idle first, with the team taken from the routing memory: read once per
 * routing generation, ordered by the calls that end here, read afresh when the generation moves or the floor is
 * gained (another instance may have ended calls meanwhile).
 */
class AgentDirectoryTest {

    private static final Instant T0 = Instant.parse("2026-11-28T09:00:00Z");
    private final UUID team = UUID.randomUUID();
    private final Agent alice = new Agent(UUID.randomUUID(), "1001", "Alice", team, Agent.Phone.SIP);
    private final Agent bob = new Agent(UUID.randomUUID(), "1002", "Bob", team, Agent.Phone.SIP);
    private final Agent carol = new Agent(UUID.randomUUID(), "1003", "Carol", team, Agent.Phone.SIP);
    private final AgentRepository repository = mock(AgentRepository.class);
    private final AgentPresence presence = mock(AgentPresence.class);
    private final EndpointStates endpoints = mock(EndpointStates.class);
    private long generation = 1;
    private final RoutingMemory memory = new RoutingMemory(() -> generation, Clock.fixed(T0, ZoneOffset.UTC), Duration.ofMinutes(5));
    private AgentDirectory directory;

    @BeforeEach
    void setUp() {
        when(presence.takesCalls(any())).thenReturn(true);
        when(endpoints.all()).thenReturn(Map.of(
                "1001", new EndpointSnapshot("PJSIP", "1001", true, List.of()),
                "1002", new EndpointSnapshot("PJSIP", "1002", true, List.of()),
                "1003", new EndpointSnapshot("PJSIP", "1003", true, List.of())));
        // Bob never took a call; Alice's ended before Carol's.
        when(repository.findTeamMembers(team)).thenReturn(List.of(
                new AgentRepository.Member(carol, T0.minusSeconds(10)),
                new AgentRepository.Member(alice, T0.minusSeconds(60)),
                new AgentRepository.Member(bob, null)));
        directory = new AgentDirectory(repository, mock(AgentProvisioner.class), presence, endpoints);
    }

    @Test
    void calls_at_one_generation_read_the_team_once_and_order_it_by_the_calls_that_end_here() {
        assertThat(directory.availableInTeam(team, memory.pin())).containsExactly(bob, alice, carol);
        directory.callEnded(bob.id(), UUID.randomUUID(), T0, Duration.ZERO);
        assertThat(directory.availableInTeam(team, memory.pin())).containsExactly(alice, carol, bob);
        verify(repository, times(1)).findTeamMembers(team);
        verify(repository).markCallEnded(bob.id(), T0);
    }

    @Test
    void a_moved_generation_reads_the_team_again_so_an_agent_moved_away_elsewhere_is_not_rung() {
        assertThat(directory.availableInTeam(team, memory.pin())).containsExactly(bob, alice, carol);
        when(repository.findTeamMembers(team)).thenReturn(List.of(
                new AgentRepository.Member(carol, T0.minusSeconds(10)), new AgentRepository.Member(bob, null)));
        generation++;
        assertThat(directory.availableInTeam(team, memory.pin())).containsExactly(bob, carol);
    }

    @Test
    void gaining_the_floor_reads_the_team_again_and_a_call_another_instance_ended_counts() {
        assertThat(directory.availableInTeam(team, memory.pin())).containsExactly(bob, alice, carol);
        // Meanwhile another instance held the floor and Bob took a call there.
        when(repository.findTeamMembers(team)).thenReturn(List.of(
                new AgentRepository.Member(carol, T0.minusSeconds(10)),
                new AgentRepository.Member(alice, T0.minusSeconds(60)),
                new AgentRepository.Member(bob, T0)));
        directory.onConnected(new AsteriskInfo("22", "x", T0));
        assertThat(directory.availableInTeam(team, memory.pin())).containsExactly(alice, carol, bob);
        verify(repository, times(2)).findTeamMembers(team);
    }

    @Test
    void a_team_read_older_than_a_call_ended_here_does_not_put_the_older_end_back() {
        directory.callEnded(alice.id(), UUID.randomUUID(), T0, Duration.ZERO);
        // The database read raced the end's write and still shows Alice's earlier call.
        assertThat(directory.availableInTeam(team, memory.pin())).containsExactly(bob, carol, alice);
    }
}
