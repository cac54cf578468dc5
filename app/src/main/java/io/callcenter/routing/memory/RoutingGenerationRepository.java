package io.callcenter.routing.memory;

import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

import static io.callcenter.db.Tables.ROUTING_GENERATION;

/** The routing generation's one row (migration V140), read once per new inbound call. */
@Repository
public class RoutingGenerationRepository implements RoutingMemory.Generations {

    private final DSLContext db;

    RoutingGenerationRepository(DSLContext db) {
        this.db = db;
    }

    @Override
    public long current() {
        return db.select(ROUTING_GENERATION.GENERATION).from(ROUTING_GENERATION).fetchSingle(ROUTING_GENERATION.GENERATION);
    }
}
