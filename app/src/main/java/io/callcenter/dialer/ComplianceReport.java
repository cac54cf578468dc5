package io.callcenter.dialer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * What a campaign shows a regulator: per successive 30-day period (anchored at its first switch-on) the calls answered
 * by a person, the abandoned ones and the rate, the rolling 30 days beside them, and for the chosen period every
 * abandoned call with the timestamps that prove the verdict.
 */
record ComplianceReport(UUID campaignId, String campaignName, Instant anchor, double targetAbandonRate,
                        double assumedDetectionErrorRate, boolean machinesToAgents, List<PeriodLine> periods,
                        Rolling rolling, PeriodLine period, List<Abandoned> abandoned) {

    /** The legal ceiling, whatever the campaign's own (lower) target. */
    static final double LEGAL_LIMIT = 0.03;

    record PeriodLine(int number, Instant start, Instant end, long answeredByPerson, long abandoned, Double rate,
                      boolean withinLimit) {

        static PeriodLine of(CompliancePeriods.Period p, long live, long abandoned) {
            Double rate = live == 0 ? null : (double) abandoned / live;
            return new PeriodLine(p.number(), p.start(), p.end(), live, abandoned, rate, rate == null || rate <= LEGAL_LIMIT);
        }
    }

    record Rolling(Instant since, Instant until, long answeredByPerson, long abandoned, Double rate) {
    }

    /**
     * One abandoned call and its proof: greeting end = detection's verdict minus the silence detection waited for;
     * deadline = greeting end + 2 s; connected (if ever) after it, or never.
     */
    record Abandoned(UUID attemptId, UUID leadId, String number, Instant answeredAt, Integer greetingSilenceMillis,
                     Instant greetingEndedAt, Instant deadline, Instant detectedAt, String detection, Instant connectedAt,
                     Instant safeHarborAt, Instant endedAt, boolean detectionError, String reason) {
    }

    static ComplianceReport build(Campaign campaign, Instant now, int periodNumber, Map<Integer, long[]> perPeriod,
                                  PacingController.Counts rolling, Instant rollingSince, List<Attempt> periodLive,
                                  Map<UUID, Instant> safeHarborStarts) {
        Instant anchor = campaign.periodAnchor();
        int current = CompliancePeriods.containing(anchor, now).number();
        List<PeriodLine> lines = new ArrayList<>();
        for (int n = 1; n <= current; n++) {
            long[] c = perPeriod.getOrDefault(n - 1, new long[]{0, 0});
            lines.add(PeriodLine.of(CompliancePeriods.number(anchor, n), c[0], c[1]));
        }
        long[] chosen = perPeriod.getOrDefault(periodNumber - 1, new long[]{0, 0});
        List<Abandoned> abandoned = periodLive.stream().filter(a -> AbandonRule.of(a).abandoned()).map(a -> {
            AbandonRule.Verdict v = AbandonRule.of(a);
            return new Abandoned(a.id(), a.leadId(), a.e164(), a.answeredAt(), a.tsr().greetingSilenceMillis(),
                    a.tsr().greetingEndedAt(), v.deadline(), a.humanAt(), a.amdResult(), a.connectedAt(),
                    safeHarborStarts.get(a.id()), a.endedAt(), a.tsr().detectionError(), v.reason());
        }).toList();
        return new ComplianceReport(campaign.id(), campaign.name(), anchor, campaign.targetAbandonRate(),
                PacingController.assumedDetectionErrorShare(campaign), campaign.machinesToAgents(), lines,
                new Rolling(rollingSince, now, rolling.rollingLive(), rolling.rollingAbandoned(),
                        rolling.rollingLive() == 0 ? null : (double) rolling.rollingAbandoned() / rolling.rollingLive()),
                PeriodLine.of(CompliancePeriods.number(anchor, periodNumber), chosen[0], chosen[1]), abandoned);
    }

    /** The chosen period as CSV: a summary line per period, then one line per abandoned call with its proof. */
    String csv() {
        StringBuilder out = new StringBuilder();
        out.append("# campaign,").append(csv(campaignName)).append(",").append(campaignId).append('\n');
        out.append("period,start,end,answered_by_person,abandoned,rate,within_3_percent\n");
        for (PeriodLine p : periods) {
            out.append(p.number()).append(',').append(p.start()).append(',').append(p.end()).append(',')
                    .append(p.answeredByPerson()).append(',').append(p.abandoned()).append(',')
                    .append(p.rate() == null ? "" : String.format(Locale.ROOT, "%.4f", p.rate())).append(',')
                    .append(p.withinLimit()).append('\n');
        }
        out.append('\n');
        out.append("period,attempt_id,number,answered_at,greeting_silence_ms,greeting_ended_at,deadline,detected_at,"
                + "detection,connected_at,safe_harbor_at,ended_at,detection_error,reason\n");
        for (Abandoned a : abandoned) {
            out.append(period.number()).append(',').append(a.attemptId()).append(',').append(a.number()).append(',')
                    .append(text(a.answeredAt())).append(',').append(text(a.greetingSilenceMillis())).append(',')
                    .append(text(a.greetingEndedAt())).append(',').append(text(a.deadline())).append(',')
                    .append(text(a.detectedAt())).append(',').append(csv(a.detection())).append(',')
                    .append(text(a.connectedAt())).append(',').append(text(a.safeHarborAt())).append(',')
                    .append(text(a.endedAt())).append(',').append(a.detectionError()).append(',')
                    .append(csv(a.reason())).append('\n');
        }
        return out.toString();
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static String csv(String value) {
        if (value == null) {
            return "";
        }
        String safe = value.startsWith("=") || value.startsWith("+") || value.startsWith("-") || value.startsWith("@")
                ? "'" + value : value;
        return safe.contains(",") || safe.contains("\"") || safe.contains("\n")
                ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
    }
}
