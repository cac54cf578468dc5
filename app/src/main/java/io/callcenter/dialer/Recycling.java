package io.callcenter.dialer;

import io.callcenter.identity.Caller;
import io.callcenter.web.ApiProblem;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * A manager puts a campaign's closed leads of chosen statuses back in its dial list (their attempt counts kept, the
 * recycling logged). Statuses a person or the law closed for good are refused: a number on the do-not-call list or
 * that opted out, a sale, a wrong number.
 */
@Service
class Recycling {

    /** Closed for good: recycling them would call someone who said no, bought, or is not the person listed. */
    static final Set<Outcome> NEVER_REDIALLED = EnumSet.of(Outcome.DO_NOT_CALL, Outcome.INTERESTED, Outcome.WRONG_NUMBER);

    record Request(List<String> statuses) {
    }

    record Result(UUID campaignId, List<Outcome> statuses, int recycled) {
    }

    private final CampaignService campaigns;
    private final LeadRepository leads;
    private final DialerEngine engine;
    private final Clock clock;

    Recycling(CampaignService campaigns, LeadRepository leads, DialerEngine engine, Clock dialerClock) {
        this.campaigns = campaigns;
        this.leads = leads;
        this.engine = engine;
        this.clock = dialerClock;
    }

    @Transactional
    Result recycle(Caller caller, UUID campaignId, Request request) {
        Campaign campaign = campaigns.get(caller, campaignId);
        Set<Outcome> chosen = statuses(request == null ? null : request.statuses());
        int recycled = leads.recycle(campaign.id(), chosen, caller.userId(), clock.instant());
        engine.tickSoon();
        return new Result(campaign.id(), List.copyOf(chosen), recycled);
    }

    /** The chosen statuses, or 400 naming what is unknown or must never be redialled. */
    static Set<Outcome> statuses(List<String> codes) {
        if (codes == null || codes.isEmpty()) {
            throw ApiProblem.badRequest("statuses: name at least one closed status to recycle, e.g. [\"NO_ANSWER\"]");
        }
        Set<Outcome> chosen = EnumSet.noneOf(Outcome.class);
        for (String code : codes) {
            try {
                chosen.add(Outcome.valueOf(code == null ? "" : code.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest("statuses: unknown status " + code);
            }
        }
        Set<Outcome> refused = EnumSet.copyOf(chosen);
        refused.retainAll(NEVER_REDIALLED);
        if (chosen.contains(Outcome.CALLBACK)) {
            refused.add(Outcome.CALLBACK);
        }
        if (!refused.isEmpty()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "status-never-redialled", "Status never redialled",
                    "Leads closed as " + refused + " must never be dialled again (do-not-call or opted out, a sale, a "
                            + "wrong number; a callback is never closed)").with("refused", refused.stream().map(Enum::name).toList());
        }
        return chosen;
    }
}
