package io.callcenter.dialer;

import io.callcenter.identity.Caller;
import io.callcenter.identity.Permissions;
import io.callcenter.routing.PhoneNumbers;
import io.callcenter.routing.RoutingService;
import io.callcenter.routing.Team;
import io.callcenter.web.ApiProblem;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Campaign administration for managers (their own team) and administrators (all teams). */
@Service
class CampaignService {

    private static final Set<String> AMD_MODES = Set.of("premium", "detect", "detect_beep", "detect_words", "greeting_end");
    /** Modes that report the end of a machine's greeting, which leaving a message waits for. */
    private static final Set<String> GREETING_MODES = Set.of("premium", "detect_beep", "greeting_end");

    record Settings(String name, UUID teamId, String callerIdNumber, String dialRatio, Double targetAbandonRate,
                    Hours callingHours, Retry retry, Voicemail voicemail, String amdMode, String safeHarborMessage,
                    Double amdErrorRate, String sellerName, String callbackNumber, String optOutDigit) {
    }

    record Hours(String start, String end) {
    }

    /**
     * @param maxAttemptsByOutcome per outcome (NO_ANSWER, BUSY, VOICEMAIL or MACHINE, DISCONNECTED or FAILED), the most
     *                             attempts a lead gets while its attempts end so; at most {@code maxAttempts}
     */
    record Retry(Integer maxAttempts, Long minGapSeconds, Map<String, Long> retryAfterSeconds,
                 Map<String, Integer> maxAttemptsByOutcome) {
    }

    record Voicemail(String policy, String message) {
    }

    private final CampaignRepository campaigns;
    private final RoutingService routing;
    private final DialerEngine engine;
    private final Clock clock;
    private final DialerProperties properties;

    CampaignService(CampaignRepository campaigns, RoutingService routing, DialerEngine engine, Clock dialerClock,
                    DialerProperties properties) {
        this.properties = properties;
        this.campaigns = campaigns;
        this.routing = routing;
        this.engine = engine;
        this.clock = dialerClock;
    }

    List<Campaign> visible(Caller caller) {
        caller.require(Permissions.CAMPAIGNS_WRITE);
        return caller.isAdmin() ? campaigns.findAll() : campaigns.findByTeam(caller.teamId());
    }

    /** The campaign if the caller may manage it; 404 otherwise, like one that does not exist. */
    Campaign get(Caller caller, UUID id) {
        caller.require(Permissions.CAMPAIGNS_WRITE);
        return campaigns.find(id).filter(c -> caller.seesTeam(c.teamId()))
                .orElseThrow(() -> ApiProblem.notFound("No campaign with id " + id));
    }

    @Transactional
    Campaign create(Caller caller, Settings s) {
        caller.require(Permissions.CAMPAIGNS_WRITE);
        UUID teamId = s.teamId() != null ? s.teamId() : caller.teamId();
        if (teamId == null) {
            throw ApiProblem.badRequest("teamId is required");
        }
        if (!caller.seesTeam(teamId)) {
            throw ApiProblem.forbidden("You may only create campaigns for your own team");
        }
        Team team = routing.team(teamId).orElseThrow(() -> ApiProblem.badRequest("No team with id " + teamId));
        Campaign campaign = build(UUID.randomUUID(), team, s, null);
        campaigns.insert(campaign);
        return campaign;
    }

    @Transactional
    Campaign update(Caller caller, UUID id, Settings s) {
        Campaign current = get(caller, id);
        if (s.teamId() != null && !s.teamId().equals(current.teamId())) {
            throw ApiProblem.badRequest("A campaign cannot move to another team");
        }
        Team team = routing.team(current.teamId()).orElseThrow();
        Campaign updated = build(id, team, s, current);
        campaigns.updateSettings(updated);
        return campaigns.find(id).orElseThrow();
    }

    Campaign setEnabled(Caller caller, UUID id, boolean enabled, String reason, boolean confirmed) {
        Campaign campaign = get(caller, id);
        if (enabled && !campaign.enabled() && campaign.safeHarborSound() == null && !campaign.dialMode().agentDials()) {
            // Our Asterisk answers a person no agent can take (the agent's phone failed, the attempt was given up):
            // without the campaign's recording it could only play a stock prompt without seller or call-back number.
            // In preview the agent places the call and is on it from the first ring: nobody is ever abandoned.
            throw ApiProblem.conflict("safe-harbor-audio-missing", "Safe-harbor recording missing",
                    "Upload the safe-harbor message as 8 kHz mono WAV (PUT /api/campaigns/" + id
                            + "/safe-harbor-audio) before switching the campaign on");
        }
        java.util.Optional<String> warning = EnableWarning.forMode(campaign.dialMode());
        if (enabled && !campaign.enabled() && warning.isPresent() && !confirmed) {
            throw ApiProblem.conflict("simulated-abandon-risk", "The simulation shows this ratio breaking the 3% rule",
                    warning.get()).with("dialRatio", campaign.dialMode().code());
        }
        String why = reason == null || reason.isBlank() ? (enabled ? "switched on" : "switched off") + " by " + caller.username()
                : reason.strip();
        if (enabled && warning.isPresent()) {
            why += " (confirmed the simulation's warning for ratio " + campaign.dialMode().code() + ")";
        }
        campaigns.setSwitch(id, "enabled", enabled, why, caller.userId(), clock.instant());
        Campaign now = campaigns.find(id).orElseThrow();
        if (enabled && DialerEngine.pausedByCarrier(now)) {
            // Switching on is the manager's word that the account or configuration has been put right.
            campaigns.setSwitch(id, "paused", false, "switched on again by " + caller.username(), caller.userId(), clock.instant());
        }
        engine.tickSoon();
        return campaigns.find(id).orElseThrow();
    }

    List<CampaignRepository.SwitchChange> changes(Caller caller, UUID id) {
        get(caller, id);
        return campaigns.changes(id);
    }

    private Campaign build(UUID id, Team team, Settings s, Campaign current) {
        String name = pick(s.name(), current == null ? null : current.name());
        if (name == null || name.isBlank()) {
            throw ApiProblem.badRequest("name is required");
        }
        String callerId = s.callerIdNumber() == null ? (current == null ? team.callerIdNumber() : current.callerIdNumber())
                : PhoneNumbers.toE164(s.callerIdNumber(), "US")
                .orElseThrow(() -> ApiProblem.badRequest("callerIdNumber is not a valid number"));
        if (!routing.numbers(team.id()).contains(callerId)) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "caller-id-not-owned", "Caller ID not owned",
                    "The caller ID must be one of the team's numbers: " + routing.numbers(team.id()));
        }
        DialMode mode = s.dialRatio() == null ? (current == null ? DialMode.BALANCED : current.dialMode())
                : DialMode.fromCode(s.dialRatio());
        double target = s.targetAbandonRate() != null ? s.targetAbandonRate() : current == null ? 0.03 : current.targetAbandonRate();
        if (target <= 0 || target > 0.03) {
            throw ApiProblem.badRequest("targetAbandonRate must be above 0 and at most 0.03 (3% of live answers)");
        }
        CallingHours hours = current == null ? CallingHours.DEFAULT : current.callingHours();
        if (s.callingHours() != null) {
            try {
                hours = new CallingHours(LocalTime.parse(s.callingHours().start()), LocalTime.parse(s.callingHours().end()));
            } catch (DateTimeParseException | NullPointerException | IllegalArgumentException e) {
                throw ApiProblem.badRequest("callingHours needs start and end as HH:mm, start before end");
            }
            CallingHours lawful = properties.lawfulHours();
            if (!hours.within(lawful)) {
                throw ApiProblem.badRequest("callingHours must lie within " + lawful.start() + "-" + lawful.end()
                        + ", the law's calling hours in the called person's local time");
            }
        }
        RetryRules retry = current == null ? RetryRules.DEFAULT : current.retry();
        if (s.retry() != null) {
            for (Long seconds : s.retry().retryAfterSeconds() == null ? List.<Long>of() : s.retry().retryAfterSeconds().values()) {
                if (seconds == null || seconds < 0) {
                    throw ApiProblem.badRequest("retryAfterSeconds: every wait must be a number of seconds, 0 or more");
                }
            }
            Map<Outcome, Duration> after = new EnumMap<>(Outcome.class);
            if (s.retry().retryAfterSeconds() != null) {
                s.retry().retryAfterSeconds().forEach((code, seconds) -> after.put(outcome(code), Duration.ofSeconds(seconds)));
            } else {
                after.putAll(retry.retryAfter());
            }
            Map<Outcome, Integer> caps = new EnumMap<>(Outcome.class);
            if (s.retry().maxAttemptsByOutcome() != null) {
                s.retry().maxAttemptsByOutcome().forEach((code, max) -> caps.put(outcome(code), max));
            } else {
                caps.putAll(retry.maxAttemptsAfter());
            }
            // RetryRules refuses a maximum out of range or for an outcome that has none (400 with its reason).
            retry = new RetryRules(s.retry().maxAttempts() != null ? s.retry().maxAttempts() : retry.maxAttempts(),
                    s.retry().minGapSeconds() != null ? Duration.ofSeconds(s.retry().minGapSeconds()) : retry.minGap(),
                    after, caps);
        }
        Campaign.VoicemailPolicy policy = current == null ? Campaign.VoicemailPolicy.HANGUP : current.voicemailPolicy();
        String message = current == null ? null : current.voicemailMessage();
        if (s.voicemail() != null) {
            if (s.voicemail().policy() != null) {
                policy = Campaign.VoicemailPolicy.fromDb(s.voicemail().policy().replace('-', '_'));
            }
            message = pick(s.voicemail().message(), message);
        }
        String amd = pick(s.amdMode(), current == null ? "premium" : current.amdMode());
        if (!AMD_MODES.contains(amd)) {
            throw ApiProblem.badRequest("amdMode must be one of " + AMD_MODES);
        }
        if (policy == Campaign.VoicemailPolicy.LEAVE_MESSAGE) {
            if (message == null || message.isBlank()) {
                throw ApiProblem.badRequest("voicemail.message is required to leave a message");
            }
            if (!GREETING_MODES.contains(amd)) {
                throw ApiProblem.badRequest("leaving a message needs an amdMode that detects the greeting's end: " + GREETING_MODES);
            }
        }
        String safeHarbor = pick(s.safeHarborMessage(), current == null ? null : current.safeHarborMessage());
        if (safeHarbor == null || safeHarbor.isBlank()) {
            throw ApiProblem.badRequest("safeHarborMessage is required: the seller's name, a callback number and the "
                    + "opt-out key, played to a person no agent could take");
        }
        Campaign.Compliance compliance = current == null ? Campaign.Compliance.DEFAULT : current.compliance();
        if (s.amdErrorRate() != null) {
            if (s.amdErrorRate() < 0 || s.amdErrorRate() >= 0.5) {
                throw ApiProblem.badRequest("amdErrorRate must be at least 0 and below 0.5 (share of people detection calls machines)");
            }
            compliance = new Campaign.Compliance(compliance.startedAt(), s.amdErrorRate(), compliance.pacingNote());
        }
        Campaign.SafeHarbor harbor = compliance.safeHarbor();
        String seller = pick(s.sellerName(), harbor.sellerName() != null ? harbor.sellerName() : team.name());
        String callback = s.callbackNumber() == null ? (harbor.callbackNumber() != null ? harbor.callbackNumber() : callerId)
                : PhoneNumbers.toE164(s.callbackNumber(), "US")
                .orElseThrow(() -> ApiProblem.badRequest("callbackNumber is not a valid number"));
        String digit = pick(s.optOutDigit(), harbor.optOutDigit());
        compliance = new Campaign.Compliance(compliance.startedAt(), compliance.amdErrorRate(), compliance.pacingNote(),
                new Campaign.SafeHarbor(seller == null ? null : seller.strip(), callback, digit, harbor.audioAt()));
        // A preset is the guard's ceiling: switching to one starts the guard there.
        double ratioInForce = !mode.steered() && (current == null || current.dialMode() != mode) ? mode.fixedRatio()
                : current == null ? 1.5 : current.adaptiveRatio();
        Campaign.SafeHarbor checked = compliance.safeHarbor();
        List<String> problems = SafeHarborMessage.problems(safeHarbor, checked.sellerName(), checked.callbackNumber(),
                checked.optOutDigit());
        if (!problems.isEmpty()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "unlawful-safe-harbor-message", "Safe-harbor message incomplete",
                    "The safe-harbor message must name the seller, give the call-back number and offer the opt-out key: "
                            + String.join("; ", problems)).with("problems", problems);
        }
        return new Campaign(id, name.strip(), team.id(), callerId, mode, ratioInForce,
                target, hours, retry, policy, message, amd, safeHarbor.strip(),
                current != null && current.enabled(), current == null ? "created" : current.enabledReason(),
                current == null || current.paused(), current == null ? "not started" : current.pausedReason(),
                current == null ? clock.instant() : current.createdAt(), compliance);
    }

    /** An outcome's code; MACHINE and FAILED name the outcomes the dialer records as VOICEMAIL and DISCONNECTED. */
    private static Outcome outcome(String code) {
        String name = code == null ? "" : code.strip().toUpperCase(java.util.Locale.ROOT);
        try {
            return switch (name) {
                case "MACHINE" -> Outcome.VOICEMAIL;
                case "FAILED" -> Outcome.DISCONNECTED;
                default -> Outcome.valueOf(name);
            };
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("retry: unknown outcome " + code);
        }
    }

    private static String pick(String given, String current) {
        return given != null ? given : current;
    }
}
