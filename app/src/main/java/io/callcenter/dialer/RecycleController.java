package io.callcenter.dialer;

import io.callcenter.identity.Caller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/** A campaign's managers put closed leads of chosen statuses back in its dial list; another team's campaign is 404. */
@RestController
@RequestMapping("/api/campaigns")
class RecycleController {

    private final Recycling recycling;

    RecycleController(Recycling recycling) {
        this.recycling = recycling;
    }

    @PostMapping("/{id}/recycle")
    Recycling.Result recycle(Caller caller, @PathVariable UUID id, @RequestBody(required = false) Recycling.Request request) {
        return recycling.recycle(caller, id, request);
    }
}
