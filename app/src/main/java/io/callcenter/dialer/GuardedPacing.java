package io.callcenter.dialer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The engine's side of pacing: what {@link PacingController} decides on, read from the agents and the attempts'
 * record (the rule's counts for the current anchored period and the rolling 30 days), and its decision stored with
 * the campaign and logged when the ratio or the reason for throttling changes. Lane only, like the engine.
 */
final class GuardedPacing {

    private static final Logger log = LoggerFactory.getLogger(GuardedPacing.class);

    private final PacingController controller;
    private final CampaignRepository campaigns;
    private final AttemptRepository attempts;
    private final TeamAgents agents;
    private PacingHistory history = PacingHistory.NONE;

    GuardedPacing(Duration interval, CampaignRepository campaigns, AttemptRepository attempts, TeamAgents agents) {
        this.controller = new PacingController(interval);
        this.campaigns = campaigns;
        this.attempts = attempts;
        this.agents = agents;
    }

    /** Where predictive pacing's warm start reads the past (the database in the app; none in most tests). */
    void warmStartFrom(PacingHistory history) {
        this.history = history;
    }

    /**
     * How many dials the campaign starts now, given its open attempts and how many agents its dials hold (progressive
     * mode): a held agent is no longer available, yet is the free agent its dial in flight is for.
     */
    int dialsToStart(Campaign campaign, List<Attempt> open, int held, Instant now) {
        controller.warm(campaign, history, now);
        int available = agents.available(campaign.teamId()).size() + held;
        int humansWaiting = (int) open.stream().filter(a -> a.state() == AttemptState.HUMAN).count();
        int inFlight = (int) open.stream().filter(a -> a.state().isUnresolved()).count() - humansWaiting;
        PacingController.Counts counts = attempts.abandonCounts(campaign.id(),
                CompliancePeriods.containing(campaign.periodAnchor(), now).start(), now.minus(CompliancePeriods.LENGTH));
        PacingController.Plan plan = campaign.dialMode() == DialMode.PREDICTIVE
                ? controller.plan(campaign, agents.working(campaign.teamId()), new PredictivePacer.Team(available,
                        humansWaiting, inFlight, agents.states(campaign.teamId()), dials(open)), counts, now)
                : controller.plan(campaign, available, agents.working(campaign.teamId()), humansWaiting, inFlight,
                        counts, now);
        if (plan.changed()) {
            campaigns.setPacing(campaign.id(), plan.ratio(), plan.note());
            log.info("campaign {}: ratio {} -> {}{}", campaign.name(), campaign.ratio(), plan.ratio(),
                    plan.note() == null ? "" : " (" + plan.note() + ")");
        }
        return plan.dialsToStart();
    }

    /** The open attempts as predictive pacing learns from them: resolved once a person (or a machine) is known. */
    static List<DialYield.DialNow> dials(List<Attempt> open) {
        return open.stream().map(a -> new DialYield.DialNow(a.id(), a.createdAt(), a.humanAt(),
                a.humanAt() != null || !a.state().isUnresolved())).toList();
    }

    void forget(UUID campaignId) {
        controller.forget(campaignId);
    }
}
