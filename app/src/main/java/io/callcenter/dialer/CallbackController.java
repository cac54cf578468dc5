package io.callcenter.dialer;

import io.callcenter.identity.Caller;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.UUID;

/**
 * Scheduled callbacks: the agent's own (set in wrap-up, listed, dialled as a preview) and a campaign's for its
 * managers (missed ones included). Someone else's callback answers 404.
 */
@RestController
class CallbackController {

    private final Callbacks callbacks;
    private final CampaignService campaigns;

    CallbackController(Callbacks callbacks, CampaignService campaigns) {
        this.callbacks = callbacks;
        this.campaigns = campaigns;
    }

    @PostMapping("/api/me/callbacks")
    @ResponseStatus(HttpStatus.CREATED)
    Callbacks.View schedule(Caller caller, @RequestBody Callbacks.Request request) {
        return callbacks.schedule(caller, request);
    }

    @GetMapping("/api/me/callbacks")
    List<Callbacks.View> mine(Caller caller) {
        return callbacks.mine(caller);
    }

    @PostMapping("/api/me/callbacks/{id}/dial")
    Callbacks.View dial(Caller caller, @PathVariable UUID id) {
        return callbacks.dial(caller, id);
    }

    @GetMapping("/api/campaigns/{id}/callbacks")
    List<Callbacks.View> ofCampaign(Caller caller, @PathVariable UUID id, @RequestParam(required = false) String status) {
        return callbacks.ofCampaign(campaigns.get(caller, id), status);
    }
}
