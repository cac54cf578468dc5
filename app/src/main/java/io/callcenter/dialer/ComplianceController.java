package io.callcenter.dialer;

import io.callcenter.identity.Caller;
import io.callcenter.web.ApiProblem;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The abandon-rate record of a campaign as the TSR counts it (JSON or CSV), and the way to record a detection error
 * found later. Same visibility as the campaign: its team's managers and administrators; anyone else gets 404.
 */
@RestController
@RequestMapping("/api/campaigns/{id}")
class ComplianceController {

    private final CampaignService campaigns;
    private final AttemptRepository attempts;
    private final DialerEngine engine;
    private final Clock clock;

    ComplianceController(CampaignService campaigns, AttemptRepository attempts, DialerEngine engine, Clock dialerClock) {
        this.campaigns = campaigns;
        this.attempts = attempts;
        this.engine = engine;
        this.clock = dialerClock;
    }

    record DetectionErrorRequest(String note) {
    }

    /** {@code period}: 1 for the first 30 days after the first switch-on, ...; the current one by default. */
    @GetMapping("/compliance")
    ComplianceReport report(Caller caller, @PathVariable UUID id, @RequestParam(required = false) Integer period) {
        return build(campaigns.get(caller, id), period);
    }

    // No produces= here: a refusal must still reach the client as problem+json whatever it accepts.
    @GetMapping("/compliance.csv")
    ResponseEntity<String> csv(Caller caller, @PathVariable UUID id, @RequestParam(required = false) Integer period) {
        ComplianceReport report = build(campaigns.get(caller, id), period);
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"abandon-rate-" + id + "-period-"
                        + report.period().number() + ".csv\"")
                .body(report.csv());
    }

    /**
     * An agent or a reviewer found that a call detection classified as a machine was a person: by the rule's
     * definition that person was abandoned, and the record must count it.
     */
    @PostMapping("/attempts/{attemptId}/detection-error")
    ComplianceReport.Abandoned detectionError(Caller caller, @PathVariable UUID id, @PathVariable UUID attemptId,
                                              @RequestBody(required = false) DetectionErrorRequest request) {
        campaigns.get(caller, id);
        Attempt attempt = attempts.find(attemptId).filter(a -> a.campaignId().equals(id))
                .orElseThrow(() -> ApiProblem.notFound("No attempt " + attemptId + " in campaign " + id));
        if (attempt.answeredAt() == null || attempt.humanAt() != null) {
            throw ApiProblem.conflict("not-a-machine-result", "Not a machine result",
                    "Only an answered call that detection did not pass on as a person can be a detection error");
        }
        String why = "by " + caller.username() + (request == null || request.note() == null || request.note().isBlank()
                ? "" : ": " + request.note().strip());
        Attempt marked = engine.onLane(() -> engine.detectionError(attemptId, why));
        AbandonRule.Verdict v = AbandonRule.of(marked);
        return new ComplianceReport.Abandoned(marked.id(), marked.leadId(), marked.e164(), marked.answeredAt(),
                marked.tsr().greetingSilenceMillis(), marked.tsr().greetingEndedAt(), v.deadline(), marked.humanAt(),
                marked.amdResult(), marked.connectedAt(), null, marked.endedAt(), marked.tsr().detectionError(), v.reason());
    }

    private ComplianceReport build(Campaign campaign, Integer requested) {
        Instant now = clock.instant();
        CompliancePeriods.Period current = CompliancePeriods.containing(campaign.periodAnchor(), now);
        int number = requested == null ? current.number() : requested;
        if (number < 1 || number > current.number()) {
            throw ApiProblem.badRequest("period must be between 1 and " + current.number() + " (the current one)");
        }
        CompliancePeriods.Period chosen = CompliancePeriods.number(campaign.periodAnchor(), number);
        Instant rollingSince = now.minus(CompliancePeriods.LENGTH);
        PacingController.Counts counts = attempts.abandonCounts(campaign.id(), current.start(), rollingSince);
        List<Attempt> live = attempts.live(campaign.id(), chosen.start(), chosen.end());
        List<UUID> abandonedIds = live.stream().filter(a -> AbandonRule.of(a).abandoned()).map(Attempt::id).toList();
        return ComplianceReport.build(campaign, now, number, attempts.perPeriod(campaign.id(), campaign.periodAnchor()),
                counts, rollingSince, live, abandonedIds.isEmpty() ? java.util.Map.of() : attempts.safeHarborStarts(abandonedIds));
    }
}
