package io.callcenter.dialer;

import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Adaptive pacing against the fixed presets over simulated working days (seeded, so every run sees the same days):
 * adaptive must keep the abandon rate under the 3% target while agents wait less than with the conservative preset.
 */
class PacingSimulationTest {

    private static final double TARGET = 0.03;
    private static final long[] SEEDS = {1, 2, 3, 4, 5};
    private static final int AGENTS = 10;
    private static final int MINUTES = 8 * 60;

    @Test
    void adaptive_keeps_abandons_under_target_with_less_idle_time_than_the_conservative_preset() {
        Map<DialMode, double[]> totals = new EnumMap<>(DialMode.class);
        System.out.printf("%-8s %-5s %8s %7s %8s %8s %9s %7s %12s %6s%n", "mode", "seed", "dials", "humans", "machines",
                "abandons", "abandon%", "idle%", "conn/ag/h", "ratio");
        for (DialMode mode : DialMode.values()) {
            double[] sum = new double[4];
            for (long seed : SEEDS) {
                PacingSimulation.Result r = new PacingSimulation(seed, AGENTS, MINUTES).run(mode, TARGET);
                System.out.printf("%-8s %-5d %8d %7d %8d %8d %8.2f%% %6.1f%% %12.2f %6.2f%n", r.mode(), seed, r.dials(),
                        r.humans(), r.machines(), r.abandons(), r.abandonRate() * 100, r.idleFraction() * 100,
                        r.humansPerAgentHour(), r.finalRatio());
                if (mode == DialMode.ADAPTIVE) {
                    assertThat(r.abandonRate()).as("adaptive abandon rate, seed " + seed).isLessThan(TARGET);
                }
                sum[0] += r.abandonRate();
                sum[1] += r.idleFraction();
                sum[2] += r.humansPerAgentHour();
                sum[3] += r.abandons();
            }
            totals.put(mode, sum);
        }
        System.out.println("averages over " + SEEDS.length + " simulated 8-hour days, " + AGENTS + " agents:");
        totals.forEach((mode, sum) -> System.out.printf("%-8s abandon %.2f%%  idle %.1f%%  connected/agent/hour %.2f%n",
                mode.code(), sum[0] / SEEDS.length * 100, sum[1] / SEEDS.length * 100, sum[2] / SEEDS.length));
        assertThat(totals.get(DialMode.ADAPTIVE)[1]).as("adaptive idle vs 1.5 idle")
                .isLessThan(totals.get(DialMode.CONSERVATIVE)[1]);
    }
}
