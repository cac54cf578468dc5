package io.callcenter.dialer;

import io.callcenter.identity.Caller;
import io.callcenter.identity.Permissions;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.UUID;

/**
 * The agent's offer (a PREVIEW campaign's lead or their due callback; pushed over their socket as {@code offer}) and
 * their choice for a preview: Dial (then the page places the call with the lead's id, as for a callback) or Skip
 * with a reason. Someone else's preview answers 404.
 */
@RestController
class PreviewController {

    /** @param reason why the agent skips the lead, kept in the attempt's log (at most 200 characters) */
    record SkipRequest(String reason) {
    }

    private final DialerEngine engine;
    private final AgentOffers offers;
    private final Clock clock;

    PreviewController(DialerEngine engine, AgentOffers offers, Clock dialerClock) {
        this.engine = engine;
        this.offers = offers;
        this.clock = dialerClock;
    }

    @GetMapping("/api/me/offer")
    ResponseEntity<AgentOffer> current(Caller caller) {
        caller.require(Permissions.CALLS_HISTORY);
        return offers.current(caller.requireAgent()).map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    @PostMapping("/api/me/previews/{id}/dial")
    AgentOffer dial(Caller caller, @PathVariable UUID id) {
        caller.require(Permissions.CALLS_DIAL);
        UUID agentId = caller.requireAgent();
        return engine.onLane(() -> engine.previews().dial(agentId, id, clock.instant()));
    }

    @PostMapping("/api/me/previews/{id}/skip")
    ResponseEntity<Void> skip(Caller caller, @PathVariable UUID id, @RequestBody(required = false) SkipRequest request) {
        caller.require(Permissions.CALLS_DIAL);
        UUID agentId = caller.requireAgent();
        engine.onLane(() -> {
            engine.previews().skip(agentId, id, request == null ? null : request.reason(), clock.instant());
            return null;
        });
        return ResponseEntity.noContent().build();
    }
}
