package io.callcenter.dialer;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * How many calls a campaign starts now, for every mode: the engine's pacing, and the code the pacing simulation runs
 * with a fake clock. Every mode is guarded by the abandon rate as the rule measures it (the current 30-day period,
 * and the rolling 30 days beside it, whichever is worse): a preset is a ceiling the ratio in force stays under while
 * the rate needs it; adaptive moves freely between 1.0 and 3.0. People that detection calls machines are abandoned
 * by the rule's definition and invisible in the record, so their assumed share is added to the measured rate.
 *
 * <p>Keeps its measurements per campaign in memory; one caller at a time (the engine's lane).
 */
final class PacingController {

    /**
     * Calls answered by a person and of those abandoned, as {@link AbandonRule} counts them.
     *
     * @param periodLive    in the current anchored 30-day period
     * @param rollingLive   in the last 30 days
     */
    record Counts(long periodLive, long periodAbandoned, long rollingLive, long rollingAbandoned) {
        static final Counts NONE = new Counts(0, 0, 0, 0);
    }

    /**
     * @param ratio   the ratio in force
     * @param note    why it runs below the mode's ratio (null when it does not)
     * @param changed whether ratio or note changed and should be stored
     */
    record Plan(int dialsToStart, double ratio, String note, boolean changed) {
    }

    private static final class Window {
        Instant since;
        double idleAgentSeconds;
        double staffedAgentSeconds;
        long liveAtStart;
        long abandonedAtStart;
    }

    private final Duration interval;
    private final Map<UUID, Window> windows = new HashMap<>();
    private final PredictivePacer predictive;

    PacingController(Duration interval) {
        this.interval = interval;
        this.predictive = new PredictivePacer(interval);
    }

    /**
     * @param available agents free to take a person now
     * @param working   agents staffed (available, talking or wrapping up): the base of the idle share
     * @param waiting   people already waiting for an agent
     * @param inFlight  dials not yet resolved (ringing, detecting), people waiting excluded
     */
    Plan plan(Campaign campaign, int available, int working, int waiting, int inFlight, Counts counts, Instant now) {
        return plan(campaign, working, PredictivePacer.Team.counting(available, waiting, inFlight), counts, now);
    }

    /**
     * The same with what predictive mode needs besides (who is busy since when, the recent dials' yield): the guard
     * steers every mode's ratio alike; predictive mode turns it into dials for the agents expected to be free.
     */
    Plan plan(Campaign campaign, int working, PredictivePacer.Team team, Counts counts, Instant now) {
        Window window = windows.get(campaign.id());
        if (window == null) {
            window = new Window();
            window.since = now;
            window.liveAtStart = counts.periodLive();
            window.abandonedAtStart = counts.periodAbandoned();
            windows.put(campaign.id(), window);
        }
        window.idleAgentSeconds += team.available();
        window.staffedAgentSeconds += working;
        double ratio = campaign.ratio();
        String note = campaign.compliance().pacingNote();
        boolean changed = false;
        if (Duration.between(window.since, now).compareTo(interval) >= 0) {
            Pacer.Measurement measured = measure(campaign, counts, window);
            double ceiling = campaign.dialMode().steered() ? Pacer.MAX_RATIO : campaign.dialMode().fixedRatio();
            double next = campaign.dialMode() == DialMode.PREDICTIVE
                    ? predictiveGuard(measured, campaign.targetAbandonRate())
                    : Math.min(ceiling, Pacer.adapt(ratio, measured, campaign.targetAbandonRate()));
            String nextNote = next < ceiling && !campaign.dialMode().steered()
                    ? String.format(Locale.ROOT, "throttled from %.1f to %.2f: abandon rate %.2f%% of %d live answers "
                                    + "(%.2f%% assumed detection errors included), target %.2f%%", ceiling, next,
                            measured.windowRate() * 100, counts.periodLive(), assumedDetectionErrorShare(campaign) * 100,
                            campaign.targetAbandonRate() * 100)
                    : null;
            changed = next != campaign.adaptiveRatio() || !java.util.Objects.equals(nextNote, note);
            ratio = next;
            note = nextNote;
            windows.remove(campaign.id());
        }
        if (campaign.dialMode() == DialMode.PREDICTIVE) {
            return new Plan(forecast(campaign, team, ratio, counts, now).dialsToStart(), ratio, note, changed);
        }
        int free = Math.max(0, team.available() - team.waiting());
        return new Plan(Pacer.dialsToStart(ratio, free, team.inFlight()), ratio, note, changed);
    }

    /** Predictive mode's forecast, its steering fed the period's counts as the guard sees them. */
    PredictivePacer.Forecast forecast(Campaign campaign, PredictivePacer.Team team, double ratio, Counts counts,
                                      Instant now) {
        double hidden = assumedDetectionErrorShare(campaign);
        long hiddenAbandons = Math.round(counts.periodLive() * hidden / (1 - hidden));
        return predictive.forecast(campaign.id(), team, ratio, new PredictivePacer.Budget(counts.periodLive()
                + hiddenAbandons, counts.periodAbandoned() + hiddenAbandons, campaign.targetAbandonRate()), now);
    }

    /**
     * A predictive campaign this controller has not met (after a restart, or switched on or to predictive mode) starts
     * from its history, read once, rather than cold: its learners hold what the live snapshots would have taught them.
     */
    void warm(Campaign campaign, PacingHistory history, Instant now) {
        if (campaign.dialMode() != DialMode.PREDICTIVE || predictive.knows(campaign.id())) {
            return;
        }
        Instant since = now.minus(PacingHistory.LOOKBACK);
        predictive.warm(campaign.id(), history.stateChanges(campaign.teamId(), since, PacingHistory.STATE_CHANGES_PER_AGENT),
                history.dials(campaign.id(), since, DialYield.WINDOW));
    }

    void forget(UUID campaignId) {
        windows.remove(campaignId);
        predictive.forget(campaignId);
    }

    /**
     * Predictive mode steers its own aggressiveness on the recent rate ({@link AbandonSteering}); the guard keeps only
     * adaptive's hard back-off: over {@link Pacer#HARD_LIMIT} of the target in the period or the rolling 30 days, it
     * dials one call per free agent (ratio 1.0), otherwise ahead of agents (shown as the highest ratio).
     */
    /** Above predictive's own set point ({@link AbandonSteering#SET_POINT}), which is above adaptive's limit. */
    static final double PREDICTIVE_HARD_LIMIT = 0.9;

    static double predictiveGuard(Pacer.Measurement measured, double target) {
        return measured.windowRate() > target * PREDICTIVE_HARD_LIMIT ? Pacer.MIN_RATIO : Pacer.MAX_RATIO;
    }

    private static Pacer.Measurement measure(Campaign campaign, Counts counts, Window window) {
        // The worse of the anchored period and the rolling 30 days, so neither view can be spoilt.
        boolean rollingWorse = rate(counts.rollingAbandoned(), counts.rollingLive())
                > rate(counts.periodAbandoned(), counts.periodLive());
        long live = rollingWorse ? counts.rollingLive() : counts.periodLive();
        long abandoned = rollingWorse ? counts.rollingAbandoned() : counts.periodAbandoned();
        double hidden = assumedDetectionErrorShare(campaign);
        long hiddenAbandons = Math.round(live * hidden / (1 - hidden));
        int intervalLive = (int) Math.max(0, counts.periodLive() - window.liveAtStart);
        int intervalAbandoned = (int) Math.max(0, counts.periodAbandoned() - window.abandonedAtStart);
        double idle = window.staffedAgentSeconds == 0 ? 0 : window.idleAgentSeconds / window.staffedAgentSeconds;
        return new Pacer.Measurement(live + hiddenAbandons, abandoned + hiddenAbandons, intervalLive, intervalAbandoned,
                Math.min(1, idle));
    }

    /** Detection errors the record cannot show: none when machine results go to agents anyway. */
    static double assumedDetectionErrorShare(Campaign campaign) {
        return campaign.machinesToAgents() ? 0 : campaign.compliance().amdErrorRate();
    }

    private static double rate(long abandoned, long live) {
        return live == 0 ? 0 : (double) abandoned / live;
    }
}
