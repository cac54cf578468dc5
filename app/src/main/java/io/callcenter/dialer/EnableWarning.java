package io.callcenter.dialer;

import java.util.Locale;
import java.util.Optional;

/**
 * Presets that our own pacing simulation (PacingSimulationTest, BENCHMARKS.md) shows abandoning more than 3% in a
 * 30-day period, in at least one of its teams, when run as they are. The guard throttles them, but a manager switching one on is told so and must
 * confirm; the simulation test fails if this list and the simulation disagree.
 */
final class EnableWarning {

    private EnableWarning() {
    }

    static boolean needsConfirmation(DialMode mode) {
        // 1.5 too: with a team of four its worst period in the simulation is above 3% (see BENCHMARKS.md).
        // Progressive cannot abandon: every dial has its agent before it is placed; in preview the agent dials.
        return !mode.steered() && !mode.reservesAgent() && !mode.agentDials();
    }

    static Optional<String> forMode(DialMode mode) {
        if (!needsConfirmation(mode)) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "At a fixed ratio of %.1f our pacing simulation abandons more than "
                + "3%% (in at least one simulated team) of the calls answered by a person in a 30-day period (see BENCHMARKS.md). The guard will hold the "
                + "ratio below %.1f whenever the period's abandon rate needs it, so the campaign will often dial slower "
                + "than chosen. Send \"confirm\": true to switch it on anyway, or choose ADAPTIVE.",
                mode.fixedRatio(), mode.fixedRatio()));
    }
}
