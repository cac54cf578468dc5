package io.callcenter.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.callcenter.agent.Agent;
import io.callcenter.identity.User;
import io.callcenter.routing.Team;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** What the administration API answers: our records flattened for clients, never the domain objects themselves. */
final class Views {

    private Views() {
    }

    /** @param sipPassword only in the answer that created the agent: desk phones need it, and it is never stored */
    record AgentView(UUID id, String extension, String phone, @JsonInclude(JsonInclude.Include.NON_NULL) String sipPassword) {
        static AgentView of(Agent agent, String sipPassword) {
            return new AgentView(agent.id(), agent.extension(), phoneName(agent.phone()), sipPassword);
        }
    }

    record UserView(UUID id, String username, String displayName, String role, List<String> permissions, UUID teamId,
                    boolean enabled, AgentView agent) {
        static UserView of(User user, Agent agent, String sipPassword) {
            return new UserView(user.id(), user.username(), user.displayName(), user.role().dbValue(), user.permissions(),
                    user.teamId(), user.enabled(), agent == null ? null : AgentView.of(agent, sipPassword));
        }
    }

    record TeamView(UUID id, String name, String callerIdNumber, long maxCallSeconds, List<String> allowedPrefixes,
                    long wrapUpSeconds, List<String> numbers, boolean recordCalls, String recordingAnnouncement,
                    List<String> allowedCountries) {
        static TeamView of(Team team, List<String> numbers, io.callcenter.routing.RecordingPolicy recording) {
            return new TeamView(team.id(), team.name(), team.callerIdNumber(), team.maxCallDuration().toSeconds(),
                    team.allowedPrefixes(), team.wrapUp().toSeconds(), numbers, recording.record(), recording.announcement(),
                    team.allowedCountries());
        }
    }

    static String phoneName(Agent.Phone phone) {
        return phone.name().toLowerCase(Locale.ROOT);
    }
}
