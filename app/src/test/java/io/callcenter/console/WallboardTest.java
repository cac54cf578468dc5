package io.callcenter.console;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class WallboardTest {

    private static final Instant NOW = Instant.parse("2026-11-27T15:00:00Z");
    private static final UUID TEAM = UUID.randomUUID();
    private final UUID alice = UUID.randomUUID();
    private final UUID bob = UUID.randomUUID();
    private final UUID dave = UUID.randomUUID();

    private Wallboard.AgentNow agent(UUID id, String extension, String state, UUID callId) {
        return new Wallboard.AgentNow(id, extension, "Agent " + extension, state, NOW.minusSeconds(42), callId, "because");
    }

    @Test
    void an_agent_on_a_call_shows_that_call_with_its_party_and_the_team_counts_every_state() {
        UUID call = UUID.randomUUID();
        Wallboard.LiveCall inbound = new Wallboard.LiveCall(call, alice, "inbound", "TALKING", "+15551230000",
                NOW.minusSeconds(30), NOW.minusSeconds(25));
        Wallboard.LiveCall waiting = new Wallboard.LiveCall(UUID.randomUUID(), null, "inbound", "ROUTING", "+15559990000",
                NOW.minusSeconds(3), null);

        Wallboard board = Wallboard.assemble(TEAM, "Psychology", NOW,
                List.of(agent(alice, "1001", "ON_CALL", call), agent(bob, "1002", "AVAILABLE", null),
                        agent(dave, "1003", "OFFLINE", null)),
                List.of(inbound, waiting), Map.of(alice, new Wallboard.AgentDay(3, 120.0)),
                new Wallboard.Day(5, 1, 100.0), List.of());

        Wallboard.AgentRow row = board.agents().getFirst();
        assertThat(row.state()).isEqualTo("ON_CALL");
        assertThat(row.call().callId()).isEqualTo(call);
        assertThat(row.call().party()).isEqualTo("+15551230000");
        assertThat(row.call().direction()).isEqualTo("inbound");
        assertThat(row.callsToday()).isEqualTo(3);
        assertThat(row.ahtSeconds()).isEqualTo(120.0);
        assertThat(board.agents().get(1).call()).isNull();
        assertThat(board.agents().get(1).callsToday()).isZero();
        assertThat(board.agents().get(1).ahtSeconds()).isNull();
        assertThat(board.team()).isEqualTo(new Wallboard.TeamFigures(3, 2, 1, 1, 0, 0, 2, 5, 1, 100.0));
        assertThat(board.type()).isEqualTo("wallboard");
    }

    @Test
    void a_call_ringing_at_an_agent_before_presence_heard_of_it_is_found_by_the_agent_it_names() {
        UUID call = UUID.randomUUID();
        Wallboard.LiveCall ringing = new Wallboard.LiveCall(call, bob, "inbound", "RINGING", "+15551230000",
                NOW.minusSeconds(2), null);

        Wallboard board = Wallboard.assemble(TEAM, "Psychology", NOW, List.of(agent(bob, "1002", "AVAILABLE", null)),
                List.of(ringing), Map.of(), new Wallboard.Day(0, 0, null), List.of());

        assertThat(board.agents().getFirst().call().callId()).isEqualTo(call);
        assertThat(board.agents().getFirst().call().answeredAt()).isNull();
    }

    @Test
    void presence_names_the_call_even_when_another_live_call_names_the_agent_first() {
        UUID older = UUID.randomUUID();
        UUID current = UUID.randomUUID();
        List<Wallboard.LiveCall> live = List.of(
                new Wallboard.LiveCall(older, alice, "outbound", "ENDING", "+15550000001", NOW.minusSeconds(60), null),
                new Wallboard.LiveCall(current, alice, "inbound", "TALKING", "+15550000002", NOW.minusSeconds(10), NOW));

        Wallboard board = Wallboard.assemble(TEAM, "Psychology", NOW, List.of(agent(alice, "1001", "ON_CALL", current)),
                live, Map.of(), new Wallboard.Day(0, 0, null), List.of());

        assertThat(board.agents().getFirst().call().party()).isEqualTo("+15550000002");
    }
}
