package io.callcenter.console;

import io.callcenter.agent.AgentDirectory;
import io.callcenter.agent.AgentPresence;
import io.callcenter.routing.RoutingService;
import io.callcenter.routing.Team;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The day's figures are read once per change of the team's calls, never kept when a call changed meanwhile. */
class WallboardServiceTest {

    private final Team team = new Team(UUID.randomUUID(), "Psychology", "+15550100", Duration.ofHours(6));

    /** Counts the day's reads; {@code duringRead} runs inside one, like a call changing on another lane. */
    private static final class CountingRepository extends WallboardRepository {
        int dayReads;
        Runnable duringRead = () -> { };

        CountingRepository() {
            super(null);
        }

        @Override
        List<Wallboard.LiveCall> liveCalls(UUID teamId) {
            return List.of();
        }

        @Override
        Wallboard.Day day(UUID teamId, Instant since) {
            dayReads++;
            Runnable change = duringRead;
            duringRead = () -> { };
            change.run();
            return new Wallboard.Day(dayReads, 0, null);
        }

        @Override
        Map<UUID, Wallboard.AgentDay> agentDays(UUID teamId, Instant since) {
            return Map.of();
        }

        @Override
        List<Wallboard.CampaignRow> campaigns(UUID teamId) {
            return List.of();
        }
    }

    private final CountingRepository repository = new CountingRepository();
    private final WallboardService service = service();

    private WallboardService service() {
        AgentDirectory agents = mock(AgentDirectory.class);
        when(agents.all()).thenReturn(List.of());
        return new WallboardService(agents, mock(AgentPresence.class), mock(RoutingService.class), repository);
    }

    @Test
    void agent_state_changes_reuse_the_day_and_a_call_change_reads_it_again() {
        assertThat(service.build(team).team().answeredToday()).isEqualTo(1);
        assertThat(service.build(team).team().answeredToday()).isEqualTo(1);
        assertThat(repository.dayReads).isEqualTo(1);

        service.callsChanged(team.id());
        assertThat(service.build(team).team().answeredToday()).isEqualTo(2);
        assertThat(repository.dayReads).isEqualTo(2);
    }

    @Test
    void figures_read_while_a_call_changed_serve_that_frame_only() {
        repository.duringRead = () -> service.callsChanged(team.id());
        service.build(team);
        service.build(team);
        assertThat(repository.dayReads).as("the first read may have missed the change: read again").isEqualTo(2);
        service.build(team);
        assertThat(repository.dayReads).isEqualTo(2);
    }
}
