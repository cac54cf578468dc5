package io.callcenter.console;

import io.callcenter.agent.AgentDirectory;
import io.callcenter.agent.AgentPresence;
import io.callcenter.call.QueueLogged;
import io.callcenter.routing.RoutingService;
import io.callcenter.routing.Team;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        final Map<UUID, UUID> queueTeams = new java.util.HashMap<>();
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

        @Override
        List<QueueTile.Day> queueDays(UUID teamId, Instant since) {
            return List.of();
        }

        @Override
        java.util.Optional<UUID> teamOfQueue(UUID queueId) {
            return java.util.Optional.ofNullable(queueTeams.get(queueId));
        }
    }

    private static final UUID OWN_QUEUE = UUID.randomUUID();
    private static final UUID OTHER_QUEUE = UUID.randomUUID();


    private final CountingRepository repository = new CountingRepository();
    private final ConsoleEvents events;
    private final WallboardService service = service();

    private WallboardService service() {
        AgentDirectory agents = mock(AgentDirectory.class);
        when(agents.all()).thenReturn(List.of());
        return new WallboardService(agents, mock(AgentPresence.class), mock(RoutingService.class), repository);
    }

    {
        events = new ConsoleEvents(service, Runnable::run);
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

    @Test
    void a_queue_event_reads_again_only_the_figures_of_the_queues_own_team() {
        repository.queueTeams.put(OWN_QUEUE, team.id());
        repository.queueTeams.put(OTHER_QUEUE, UUID.randomUUID());
        service.build(team);
        events.on(new QueueLogged(Set.of(OTHER_QUEUE)));
        service.build(team);
        assertThat(repository.dayReads).as("another team's queue changed nothing here").isEqualTo(1);

        events.on(new QueueLogged(Set.of(OWN_QUEUE)));
        service.build(team);
        assertThat(repository.dayReads).isEqualTo(2);
    }

    /** The ratios leave short abandons out of their base, and an empty base shows no figure rather than 0 %. */
    @Test
    void queue_tile_ratios_by_the_report_formulas() {
        QueueTile tile = QueueTile.of(new QueueTile.Day(OWN_QUEUE, "Counselling", 20, 9, 3, 2, 1, 1, 60_000),
                new QueueTile.Waiting(2, Instant.EPOCH));
        assertThat(tile.serviceLevel()).isEqualTo(2.0 / 8);
        assertThat(tile.abandonRate()).isEqualTo(1.0 / 8);
        assertThat(tile.asaSeconds()).isEqualTo(20.0);
        assertThat(tile.waiting()).isEqualTo(2);

        QueueTile onlyShort = QueueTile.of(new QueueTile.Day(OWN_QUEUE, "Counselling", 20, 1, 0, 0, 0, 1, 0),
                QueueTile.Waiting.NONE);
        assertThat(onlyShort.serviceLevel()).isNull();
        assertThat(onlyShort.abandonRate()).isNull();
        assertThat(onlyShort.asaSeconds()).isNull();
        assertThat(onlyShort.longestWaitingSince()).isNull();
    }
}
