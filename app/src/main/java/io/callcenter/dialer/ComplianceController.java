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
    private final CampaignRepository campaignRecords;
    private final AttemptRepository attempts;
    private final DialerEngine engine;
    private final Clock clock;
    private final java.nio.file.Path recordings;

    ComplianceController(CampaignService campaigns, CampaignRepository campaignRecords, AttemptRepository attempts,
                         DialerEngine engine, Clock dialerClock,
                         @org.springframework.beans.factory.annotation.Value(
                                 "${callcenter.calls.recordings-directory:.run/asterisk/spool/recording}") String recordings) {
        this.campaigns = campaigns;
        this.campaignRecords = campaignRecords;
        this.attempts = attempts;
        this.engine = engine;
        this.clock = dialerClock;
        this.recordings = java.nio.file.Path.of(recordings).toAbsolutePath().normalize();
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
        Attempt marked = engine.onLane(() -> {
            Attempt current = attempts.find(attemptId).orElseThrow();
            AttemptMachine.Step step = AbandonRule.detectionError(current, why, clock.instant());
            engine.step(current, step);
            return step.attempt();
        });
        AbandonRule.Verdict v = AbandonRule.of(marked);
        return new ComplianceReport.Abandoned(marked.id(), marked.leadId(), marked.e164(), marked.answeredAt(),
                marked.tsr().greetingSilenceMillis(), marked.tsr().greetingEndedAt(), v.deadline(), marked.humanAt(),
                marked.amdResult(), marked.connectedAt(), null, marked.endedAt(), marked.tsr().detectionError(), v.reason());
    }

    /**
     * The recording of the campaign's safe-harbor message for the Asterisk path (8 kHz mono 16-bit WAV), kept in
     * Asterisk's recording directory so the call module can play it as {@code recording:dialer/safe-harbor-<id>}.
     * The words must be those of {@code safeHarborMessage}, which Telnyx speaks; nobody can check that but the manager.
     */
    @org.springframework.web.bind.annotation.PutMapping(path = "/safe-harbor-audio")
    Campaign safeHarborAudio(Caller caller, @PathVariable UUID id, @RequestBody(required = false) byte[] wav)
            throws java.io.IOException {
        Campaign campaign = campaigns.get(caller, id);
        java.util.Optional<String> problem = SafeHarborAudio.problem(wav);
        if (problem.isPresent()) {
            throw new ApiProblem(org.springframework.http.HttpStatus.BAD_REQUEST, "unplayable-safe-harbor-audio",
                    "Safe-harbor audio not playable", "The recording " + problem.get()
                    + ": upload WAV, 16-bit linear PCM, mono, 8000 Hz, 3 to 60 seconds");
        }
        java.nio.file.Path file = recordings.resolve(campaign.safeHarborRecordingName() + ".wav");
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Path partial = file.resolveSibling(file.getFileName() + ".part");
        java.nio.file.Files.write(partial, wav);
        // Whole or not at all: Asterisk may be playing the previous recording right now.
        java.nio.file.Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        campaignRecords.setSafeHarborAudio(id, clock.instant());
        return campaignRecords.find(id).orElseThrow();
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
