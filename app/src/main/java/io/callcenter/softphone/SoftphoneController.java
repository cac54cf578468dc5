package io.callcenter.softphone;

import io.callcenter.agent.AgentDirectory;
import io.callcenter.agent.AgentPresence;
import io.callcenter.identity.Caller;
import io.callcenter.web.ApiProblem;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

@RestController
@RequestMapping("/api/me")
class SoftphoneController {

    private final AgentDirectory agents;
    private final AgentPresence presence;
    private final SoftphoneProperties properties;

    SoftphoneController(AgentDirectory agents, AgentPresence presence, SoftphoneProperties properties) {
        this.agents = agents;
        this.presence = presence;
        this.properties = properties;
    }

    record SipCredentials(String extension, String username, String password, String domain, String wsUrl,
                          String displayName, String phone, List<Map<String, String>> iceServers) {
    }

    record StateRequest(String state) {
    }

    /** A fresh SIP password on every call: whoever held the previous one (an old tab) can no longer register. */
    @PostMapping("/sip-credentials")
    SipCredentials sipCredentials(Caller caller) {
        AgentDirectory.SipCredentials issued = agents.issueSipCredentials(caller.requireAgent());
        return new SipCredentials(issued.extension(), issued.username(), issued.password(), properties.sipDomain(),
                properties.wsUrl(), issued.displayName(), issued.phone().name().toLowerCase(java.util.Locale.ROOT),
                properties.iceServers().stream().map(url -> Map.of("urls", url)).toList());
    }

    @GetMapping("/state")
    AgentEvents.StateMessage state(Caller caller) {
        return AgentEvents.StateMessage.of(presence.current(caller.requireAgent()));
    }

    @PutMapping("/state")
    AgentEvents.StateMessage choose(Caller caller, @RequestBody StateRequest request) {
        var agentId = caller.requireAgent();
        AgentPresence.State chosen;
        try {
            chosen = AgentPresence.State.valueOf(String.valueOf(request.state()).toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("state must be AVAILABLE or BREAK");
        }
        if (chosen != AgentPresence.State.AVAILABLE && chosen != AgentPresence.State.BREAK) {
            throw ApiProblem.badRequest("state must be AVAILABLE or BREAK; the others follow from calls and the phone");
        }
        if (presence.stateOf(agentId) == AgentPresence.State.ON_CALL) {
            throw ApiProblem.conflict("on-call", "On a call", "Finish the call first");
        }
        presence.choose(agentId, chosen);
        return new AgentEvents.StateMessage("state", chosen.name(), java.time.Instant.now(), null, "chosen by agent");
    }
}
