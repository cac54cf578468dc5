package io.callcenter.dialer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What predictive pacing would have learnt had it been running: a campaign's past dials and its team's past states,
 * read once when a pacer meets a campaign (after a restart, or a campaign switched on or to predictive mode), so it
 * predicts from the first tick instead of dialling like progressive until it has seen 20 handles and 60 dials again.
 */
interface PacingHistory {

    /** Older than this, the team and the answer rate are another day's: a week holds every weekday once. */
    Duration LOOKBACK = Duration.ofDays(7);
    /** An agent's state changes read: about a day of one agent's calls (three changes a call), as {@link HandleTimes} keeps. */
    int STATE_CHANGES_PER_AGENT = 200;

    /**
     * A dial of the campaign that has ended.
     *
     * @param resolvedAt when its verdict came: a person (or a machine result for agents), or the first sign there
     *                   would be none (a machine, silence, a hang-up, no answer)
     * @param person     whether the verdict was someone for an agent
     */
    record PastDial(Instant placedAt, Instant resolvedAt, boolean person) {
    }

    /** The campaign's last {@code limit} ended dials placed since {@code since}, oldest first; previews are no dials. */
    List<PastDial> dials(UUID campaignId, Instant since, int limit);

    /** The last {@code perAgent} state changes since {@code since} of each agent of the team, all oldest first. */
    List<HandleTimes.AgentNow> stateChanges(UUID teamId, Instant since, int perAgent);

    /** No past: the pacer learns from the live snapshots alone. */
    PacingHistory NONE = new PacingHistory() {
        @Override
        public List<PastDial> dials(UUID campaignId, Instant since, int limit) {
            return List.of();
        }

        @Override
        public List<HandleTimes.AgentNow> stateChanges(UUID teamId, Instant since, int perAgent) {
            return List.of();
        }
    };
}
