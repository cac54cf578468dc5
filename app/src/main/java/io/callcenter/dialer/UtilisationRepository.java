package io.callcenter.dialer;

import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.UUID;

import static io.callcenter.dialer.CampaignRepository.utc;

/** Agent utilisation from the agents' state log: time on calls over time working (available, on a call, wrap-up). */
@Repository
class UtilisationRepository {

    private final DSLContext db;

    UtilisationRepository(DSLContext db) {
        this.db = db;
    }

    Double utilisation(UUID teamId, Instant since, Instant now) {
        var row = db.fetchOne("""
                with spans as (
                    select e.state, e.occurred_at,
                           lead(e.occurred_at, 1, {2}) over (partition by e.agent_id order by e.occurred_at, e.id) as until
                    from agent_state_event e join agent a on a.id = e.agent_id
                    where a.team_id = {0} and e.occurred_at >= {1})
                select coalesce(sum(extract(epoch from until - occurred_at)) filter (where state = 'ON_CALL'), 0),
                       coalesce(sum(extract(epoch from until - occurred_at))
                                filter (where state in ('AVAILABLE', 'ON_CALL', 'WRAP_UP')), 0)
                from spans""", teamId, utc(since), utc(now));
        double onCall = row.get(0, Double.class);
        double working = row.get(1, Double.class);
        return working <= 0 ? null : onCall / working;
    }
}
