package io.callcenter.dialer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Adaptive mode's ratio: measured over an interval (idle agents, humans and abandons), then adjusted by
 * {@link Pacer#adapt}. Fixed modes keep their ratio. Lane only, like the engine that asks.
 */
final class AdaptivePacing {

    private static final Logger log = LoggerFactory.getLogger(AdaptivePacing.class);

    private final CampaignRepository campaigns;
    private final AttemptRepository attempts;
    private final Duration interval;
    /** Measurements per campaign. */
    private final Map<UUID, PacingWindow> pacing = new HashMap<>();

    private static final class PacingWindow {
        Instant since;
        double idleAgentSamples;
        double workingAgentSamples;
        long humansAtStart;
        long abandonsAtStart;
    }

    AdaptivePacing(CampaignRepository campaigns, AttemptRepository attempts, Duration interval) {
        this.campaigns = campaigns;
        this.attempts = attempts;
        this.interval = interval;
    }

    /** A campaign that stopped dialling starts its next measurement afresh. */
    void forget(UUID campaignId) {
        pacing.remove(campaignId);
    }

    double ratio(Campaign campaign, int availableAgents, Instant now) {
        if (campaign.dialMode() != DialMode.ADAPTIVE) {
            return campaign.ratio();
        }
        PacingWindow window = pacing.get(campaign.id());
        long[] counts = attempts.humansAndAbandons(campaign.id(), now.minus(DialerEngine.COMPLIANCE_WINDOW));
        if (window == null) {
            window = new PacingWindow();
            window.since = now;
            window.humansAtStart = counts[0];
            window.abandonsAtStart = counts[1];
            pacing.put(campaign.id(), window);
        }
        window.idleAgentSamples += availableAgents;
        window.workingAgentSamples += Math.max(availableAgents, 1);
        if (Duration.between(window.since, now).compareTo(interval) < 0) {
            return campaign.adaptiveRatio();
        }
        Pacer.Measurement measured = new Pacer.Measurement(counts[0], counts[1],
                (int) (counts[0] - window.humansAtStart), (int) (counts[1] - window.abandonsAtStart),
                window.idleAgentSamples / window.workingAgentSamples);
        double next = Pacer.adapt(campaign.adaptiveRatio(), measured, campaign.targetAbandonRate());
        if (next != campaign.adaptiveRatio()) {
            campaigns.setAdaptiveRatio(campaign.id(), next);
            log.info("campaign {}: adaptive ratio {} -> {} ({})", campaign.name(), campaign.adaptiveRatio(), next, measured);
        }
        pacing.remove(campaign.id());
        return next;
    }
}
