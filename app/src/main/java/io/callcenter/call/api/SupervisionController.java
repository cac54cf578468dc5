package io.callcenter.call.api;

import io.callcenter.agent.Agent;
import io.callcenter.agent.AgentDirectory;
import io.callcenter.call.engine.CallEngine;
import io.callcenter.call.model.CommandRefused;
import io.callcenter.call.store.CallRepository;
import io.callcenter.call.supervision.Mode;
import io.callcenter.identity.Caller;
import io.callcenter.identity.Permissions;
import io.callcenter.web.ApiProblem;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Live monitoring for managers ({@code team:1}) on their team's calls, from their own phone: PUT a mode to start or
 * switch (listen, whisper, barge), DELETE to leave. Another team's call answers 404, like one that does not exist.
 */
@RestController
@RequestMapping("/api/calls/{id}/supervision")
class SupervisionController {

    private final CallEngine engine;
    private final CallRepository calls;
    private final AgentDirectory agents;

    SupervisionController(CallEngine engine, CallRepository calls, AgentDirectory agents) {
        this.engine = engine;
        this.calls = calls;
        this.agents = agents;
    }

    record SupervisionRequest(String mode) {
    }

    @PutMapping
    Map<String, String> supervise(Caller caller, @PathVariable UUID id, @RequestBody SupervisionRequest request) {
        Mode mode = modeOf(request);
        Agent phone = supervisorsPhone(caller, id);
        refusalsAre409(() -> engine.supervise(id, caller.userId(), caller.username(), phone.sipEndpoint(), mode));
        return Map.of("callId", id.toString(), "mode", mode.name());
    }

    @DeleteMapping
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void leave(Caller caller, @PathVariable UUID id) {
        supervisorsPhone(caller, id);
        refusalsAre409(() -> engine.stopSupervising(id, caller.userId()));
    }

    private Agent supervisorsPhone(Caller caller, UUID callId) {
        caller.require(Permissions.TEAM_READ);
        // A call this instance runs is known from memory; its row may not be written yet (a call just offered).
        java.util.Optional<io.callcenter.call.store.CallView> live = engine.views().view(callId);
        java.util.Optional<UUID> team = live.isPresent() ? live.map(io.callcenter.call.store.CallView::teamId)
                : calls.summary(callId).map(CallRepository.Summary::teamId);
        team.filter(caller::seesTeam).orElseThrow(() -> ApiProblem.notFound("No call with id " + callId));
        if (caller.agentId() == null) {
            throw ApiProblem.conflict("no-phone", "No phone", "Supervising needs a phone of your own to ring");
        }
        return agents.byId(caller.agentId())
                .orElseThrow(() -> ApiProblem.conflict("no-phone", "No phone", "Your phone no longer exists"));
    }

    private static Mode modeOf(SupervisionRequest request) {
        try {
            return Mode.valueOf(request.mode().strip().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw ApiProblem.badRequest("mode must be listen, whisper or barge");
        }
    }

    private static void refusalsAre409(Runnable command) {
        try {
            command.run();
        } catch (CommandRefused refused) {
            throw ApiProblem.conflict(refused.slug, "Not possible now", refused.getMessage());
        }
    }
}
