package io.callcenter.report;

import io.callcenter.identity.Caller;
import io.callcenter.identity.Permissions;
import io.callcenter.routing.RoutingService;
import io.callcenter.routing.Team;
import io.callcenter.web.ApiProblem;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Puts the reports together from the repository's counts; who may see which team is decided here. */
@Service
class ReportService {

    /** Without a queue, a team's service level is measured against this threshold (the queues' default). */
    static final int DEFAULT_SERVICE_LEVEL_SECONDS = 20;
    static final Duration ROLLING = Duration.ofDays(30);

    private final ReportRepository reports;
    private final RoutingService routing;
    private final Clock clock;

    ReportService(ReportRepository reports, RoutingService routing) {
        this.reports = reports;
        this.routing = routing;
        this.clock = Clock.systemUTC();
    }

    /** The team the caller asked for, or their own; another team answers 404 like one that does not exist. */
    Team team(Caller caller, UUID teamId) {
        caller.require(Permissions.TEAM_READ);
        UUID id = teamId != null ? teamId : caller.teamId();
        if (id == null) {
            throw ApiProblem.badRequest("teamId is required (you belong to no team)");
        }
        return Optional.of(id).filter(caller::seesTeam).flatMap(routing::team)
                .orElseThrow(() -> ApiProblem.notFound("No team with id " + id));
    }

    ReportRange range(String from, String to, String zone) {
        ReportRange probe = ReportRange.parse(null, null, zone, LocalDate.now(clock));
        return ReportRange.parse(from, to, zone, LocalDate.now(clock.withZone(probe.zone())));
    }

    /**
     * Per queue where the team has one (its event log), else per team from the call records. {@code source}:
     * "queue" or "calls", so a reader knows which.
     */
    Figures.IntervalReport intervals(Team team, ReportRange range, ReportRange.Interval interval) {
        Optional<ReportRepository.Queue> queue = reports.queueOfTeam(team.id());
        int threshold = queue.map(ReportRepository.Queue::serviceLevelSeconds).orElse(DEFAULT_SERVICE_LEVEL_SECONDS);
        Map<LocalDateTime, Figures.Counts> buckets = queue.isPresent()
                ? reports.queueIntervals(queue.get().id(), range, interval, threshold)
                : reports.teamIntervals(team.id(), range, interval, threshold);
        List<Figures.IntervalRow> rows = new ArrayList<>();
        Figures.Counts total = Figures.Counts.ZERO;
        for (Map.Entry<LocalDateTime, Figures.Counts> bucket : buckets.entrySet()) {
            rows.add(Figures.IntervalRow.of(bucket.getKey(), bucket.getValue()));
            total = total.plus(bucket.getValue());
        }
        return new Figures.IntervalReport(team.id(), team.name(), queue.map(ReportRepository.Queue::id).orElse(null),
                queue.isPresent() ? "queue" : "calls", range.zone().getId(), interval.name().toLowerCase(java.util.Locale.ROOT),
                threshold, rows, Figures.IntervalRow.of(range.from().atStartOfDay(), total));
    }

    Figures.AgentReport agents(Team team, ReportRange range) {
        Instant now = clock.instant();
        Map<UUID, Map<String, Double>> states = reports.secondsByState(team.id(), range, now);
        Map<UUID, ReportRepository.AgentCalls> calls = reports.agentCalls(team.id(), range);
        Map<UUID, Map<String, Long>> dispositions = reports.agentDispositions(team.id(), range);
        List<Figures.AgentRow> rows = new ArrayList<>();
        for (ReportRepository.Agent agent : reports.agents(team.id())) {
            Map<String, Double> byState = states.getOrDefault(agent.id(), Map.of());
            double loggedIn = byState.entrySet().stream().filter(e -> !"OFFLINE".equals(e.getKey()))
                    .mapToDouble(Map.Entry::getValue).sum();
            ReportRepository.AgentCalls c = calls.getOrDefault(agent.id(), new ReportRepository.AgentCalls(0, 0, 0));
            rows.add(new Figures.AgentRow(agent.id(), agent.extension(), agent.name(), loggedIn, byState, c.calls(),
                    Figures.mean(c.talkSeconds(), c.handled()),
                    Figures.mean(byState.getOrDefault("WRAP_UP", 0.0), c.handled()),
                    dispositions.getOrDefault(agent.id(), Map.of())));
        }
        return new Figures.AgentReport(team.id(), team.name(), range.zone().getId(), rows);
    }

    Figures.CampaignReport campaigns(Team team, ReportRange range) {
        Instant now = clock.instant();
        double agentHours = agents(team, range).agents().stream().mapToDouble(Figures.AgentRow::loggedInSeconds).sum() / 3600;
        Map<UUID, ReportRepository.CampaignCounts> rolling = new java.util.HashMap<>();
        reports.campaignCounts(team.id(), now.minus(ROLLING), now).forEach(c -> rolling.put(c.id(), c));
        List<Figures.CampaignRow> rows = reports.campaignCounts(team.id(), range.start(), range.end()).stream()
                .map(c -> {
                    ReportRepository.CampaignCounts r = rolling.getOrDefault(c.id(), c);
                    return new Figures.CampaignRow(c.id(), c.name(), c.dials(), c.humans(), c.machines(), c.abandons(),
                            c.connects(), Figures.ratio(c.abandons(), c.humans()), r.humans(), r.abandons(),
                            Figures.ratio(r.abandons(), r.humans()),
                            agentHours <= 0 ? null : c.connects() / agentHours);
                })
                .toList();
        return new Figures.CampaignReport(team.id(), team.name(), range.zone().getId(), agentHours, rows);
    }
}
