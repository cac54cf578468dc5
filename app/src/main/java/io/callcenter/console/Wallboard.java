package io.callcenter.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a team's wallboard shows at one instant, and how it is put together from the facts (agents' states, live
 * calls, the day's figures). Times are instants, not durations: the page counts time in state and call duration
 * itself, second by second, so the server pushes only when something changed.
 */
record Wallboard(String type, UUID teamId, String teamName, Instant at, TeamFigures team, List<AgentRow> agents,
                 List<CampaignRow> campaigns, List<QueueTile> queues) {

    /** The same board with the team's queues (read apart from the agents' facts, see {@link QueueTile}). */
    Wallboard withQueues(List<QueueTile> tiles) {
        return new Wallboard(type, teamId, teamName, at, team, agents, campaigns, List.copyOf(tiles));
    }

    /** An agent as presence reports them now. */
    record AgentNow(UUID agentId, String extension, String name, String state, Instant since, UUID callId,
                    String reason) {
    }

    /** A call of the team that has not ended (from the call table, which is saved before screens hear of it). */
    record LiveCall(UUID callId, UUID agentId, String direction, String state, String party, Instant startedAt,
                    Instant answeredAt, boolean recordingFailed) {

        LiveCall(UUID callId, UUID agentId, String direction, String state, String party, Instant startedAt,
                 Instant answeredAt) {
            this(callId, agentId, direction, state, party, startedAt, answeredAt, false);
        }
    }

    /** Calls an agent answered today and their average handle time (talk time; wrap-up is not measured yet). */
    record AgentDay(int answered, Double ahtSeconds) {
        static final AgentDay NONE = new AgentDay(0, null);
    }

    /** The team's day: calls begun since midnight. */
    record Day(int answered, int abandoned, Double ahtSeconds) {
    }

    record CampaignRow(UUID id, String name, boolean enabled, String enabledReason, boolean paused,
                       String pausedReason, String dialMode, double ratio) {
    }

    /** {@code recordingFailed}: the team records calls and this one's recording failed: supervisors see it. */
    record CurrentCall(UUID callId, String direction, String state, String party, Instant startedAt,
                       Instant answeredAt, boolean recordingFailed) {
    }

    record AgentRow(UUID agentId, String extension, String name, String state, Instant since, String reason,
                    CurrentCall call, int callsToday, Double ahtSeconds) {
    }

    record TeamFigures(int agents, int loggedIn, int available, int onCall, int wrapUp, int onBreak,
                       int callsInProgress, int answeredToday, int abandonedToday, Double ahtSeconds) {
    }

    /**
     * The wallboard from its facts. An agent's current call is the one presence names, else a live call that names
     * the agent (a desk phone ringing before presence heard of it); calls in progress count every live call of the
     * team, those still looking for an agent included.
     */
    static Wallboard assemble(UUID teamId, String teamName, Instant at, List<AgentNow> agents, List<LiveCall> live,
                              Map<UUID, AgentDay> days, Day day, List<CampaignRow> campaigns) {
        Map<UUID, LiveCall> byId = new HashMap<>();
        Map<UUID, LiveCall> byAgent = new HashMap<>();
        for (LiveCall call : live) {
            byId.put(call.callId(), call);
            if (call.agentId() != null) {
                byAgent.putIfAbsent(call.agentId(), call);
            }
        }
        List<AgentRow> rows = new ArrayList<>();
        int loggedIn = 0, available = 0, onCall = 0, wrapUp = 0, onBreak = 0;
        for (AgentNow agent : agents) {
            LiveCall call = agent.callId() != null && byId.containsKey(agent.callId())
                    ? byId.get(agent.callId()) : byAgent.get(agent.agentId());
            AgentDay agentDay = days.getOrDefault(agent.agentId(), AgentDay.NONE);
            rows.add(new AgentRow(agent.agentId(), agent.extension(), agent.name(), agent.state(), agent.since(),
                    agent.reason(), call == null ? null : new CurrentCall(call.callId(), call.direction(), call.state(),
                    call.party(), call.startedAt(), call.answeredAt(), call.recordingFailed()), agentDay.answered(), agentDay.ahtSeconds()));
            switch (agent.state()) {
                case "AVAILABLE" -> available++;
                case "ON_CALL" -> onCall++;
                case "WRAP_UP" -> wrapUp++;
                case "BREAK" -> onBreak++;
                default -> { }
            }
            if (!"OFFLINE".equals(agent.state())) {
                loggedIn++;
            }
        }
        TeamFigures figures = new TeamFigures(agents.size(), loggedIn, available, onCall, wrapUp, onBreak, live.size(),
                day.answered(), day.abandoned(), day.ahtSeconds());
        return new Wallboard("wallboard", teamId, teamName, at, figures, List.copyOf(rows), List.copyOf(campaigns),
                List.of());
    }
}
