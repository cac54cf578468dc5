package io.callcenter.dialer;

import io.callcenter.identity.Caller;
import io.callcenter.web.ApiProblem;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Campaigns, their leads and figures. Managers see their own team's campaigns, administrators all; any other
 * campaign answers 404.
 */
@RestController
@RequestMapping("/api/campaigns")
class CampaignController {

    private static final int MAX_LIMIT = 500;
    /** The lead's life as {@link Lead} describes it; the console filters on these. */
    private static final List<String> LEAD_STATUSES = List.of("NEW", "DIALING", "RETRY", "DONE");

    private final CampaignService service;
    private final LeadRepository leads;
    private final AttemptRepository attempts;
    private final UtilisationRepository utilisation;
    private final DialerProperties properties;
    private final Clock clock;

    CampaignController(CampaignService service, LeadRepository leads, AttemptRepository attempts,
                       UtilisationRepository utilisation, DialerProperties properties, Clock dialerClock) {
        this.service = service;
        this.leads = leads;
        this.attempts = attempts;
        this.utilisation = utilisation;
        this.properties = properties;
        this.clock = dialerClock;
    }

    record CampaignView(Campaign campaign, double currentRatio, List<CampaignRepository.SwitchChange> changes) {
    }

    /** {@code confirm}: the manager read the simulation's warning for the campaign's ratio and switches on anyway. */
    record EnabledRequest(Boolean enabled, String reason, Boolean confirm) {
    }

    record ImportReport(int rows, int created, int merged, int rejectedCount, List<LeadCsv.Rejected> rejected) {
    }

    record AttemptView(Attempt attempt, List<AttemptRepository.Event> events) {
    }

    /** {@code closedReason}: why the dialer closed the lead by itself (its outcome's maximum reached), or null. */
    record LeadView(Lead lead, String closedReason, List<AttemptView> attempts) {
    }

    record Stats(UUID campaignId, Instant since, long dials, long answers, long humans, long machines, long abandons,
                 Double abandonRate, double targetAbandonRate, Double agentUtilisation, Double avgSecondsToConnect,
                 long connected, double currentRatio) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    CampaignView create(Caller caller, @RequestBody CampaignService.Settings settings) {
        return view(caller, service.create(caller, settings));
    }

    @GetMapping
    List<Campaign> list(Caller caller) {
        return service.visible(caller);
    }

    @GetMapping("/{id}")
    CampaignView get(Caller caller, @PathVariable UUID id) {
        return view(caller, service.get(caller, id));
    }

    @PutMapping("/{id}")
    CampaignView update(Caller caller, @PathVariable UUID id, @RequestBody CampaignService.Settings settings) {
        return view(caller, service.update(caller, id, settings));
    }

    @PutMapping("/{id}/enabled")
    CampaignView enable(Caller caller, @PathVariable UUID id, @RequestBody EnabledRequest request) {
        if (request.enabled() == null) {
            throw ApiProblem.badRequest("enabled (true or false) is required");
        }
        return view(caller, service.setEnabled(caller, id, request.enabled(), request.reason(),
                Boolean.TRUE.equals(request.confirm())));
    }

    /** 100,000 rows of a few short columns fit well within this. */
    static final long MAX_IMPORT_BYTES = 32L * 1024 * 1024;

    @PostMapping(path = "/{id}/leads", consumes = {"text/csv", MediaType.TEXT_PLAIN_VALUE})
    ImportReport importLeads(Caller caller, @PathVariable UUID id, jakarta.servlet.http.HttpServletRequest request)
            throws java.io.IOException {
        Campaign campaign = service.get(caller, id);
        LeadCsv.Parsed parsed;
        // Streamed: the row cap is enforced while reading, and the byte cap bounds what a row cap cannot.
        try (var body = new java.io.InputStreamReader(io.callcenter.web.BodyLimit.of(request, MAX_IMPORT_BYTES),
                StandardCharsets.UTF_8)) {
            parsed = LeadCsv.parse(body, properties.defaultRegion());
        } catch (LeadCsv.TooLarge e) {
            throw io.callcenter.web.BodyLimit.tooLarge(e.getMessage());
        }
        LeadRepository.Imported imported = leads.importRows(campaign.id(), parsed.accepted(), clock.instant());
        int rows = parsed.accepted().size() + parsed.merged() + parsed.rejected().size();
        return new ImportReport(rows, imported.created(), parsed.merged() + imported.mergedWithExisting(),
                parsed.rejected().size(), parsed.rejected());
    }

    @GetMapping("/{id}/leads")
    List<Lead> leads(Caller caller, @PathVariable UUID id, @RequestParam(defaultValue = "100") int limit,
                     @RequestParam(defaultValue = "0") int offset, @RequestParam(required = false) String status) {
        service.get(caller, id);
        if (limit < 1 || limit > MAX_LIMIT || offset < 0) {
            throw ApiProblem.badRequest("limit must be between 1 and " + MAX_LIMIT + ", offset not negative");
        }
        if (status != null && !LEAD_STATUSES.contains(status)) {
            throw ApiProblem.badRequest("status must be one of " + LEAD_STATUSES);
        }
        return leads.page(id, status, limit, offset);
    }

    @GetMapping("/{id}/leads/{leadId}")
    LeadView lead(Caller caller, @PathVariable UUID id, @PathVariable UUID leadId) {
        service.get(caller, id);
        Lead lead = leads.find(leadId).filter(l -> l.campaignId().equals(id))
                .orElseThrow(() -> ApiProblem.notFound("No lead " + leadId + " in campaign " + id));
        return new LeadView(lead, leads.closedReason(leadId), attempts.byLead(leadId).stream()
                .map(a -> new AttemptView(a, attempts.events(a.id()))).toList());
    }

    /** Over the compliance window (30 days): the abandon rate is abandons over calls answered by a person. */
    @GetMapping("/{id}/stats")
    Stats stats(Caller caller, @PathVariable UUID id) {
        Campaign campaign = service.get(caller, id);
        Instant now = clock.instant();
        Instant since = now.minus(CompliancePeriods.LENGTH);
        AttemptRepository.Stats s = attempts.stats(id, since);
        return new Stats(id, since, s.dials(), s.answers(), s.humans(), s.machines(), s.abandons(),
                s.humans() == 0 ? null : (double) s.abandons() / s.humans(), campaign.targetAbandonRate(),
                utilisation.utilisation(campaign.teamId(), since, now), s.avgSecondsToConnect(), s.connected(),
                campaign.ratio());
    }

    private CampaignView view(Caller caller, Campaign campaign) {
        return new CampaignView(campaign, campaign.ratio(), service.changes(caller, campaign.id()));
    }
}
