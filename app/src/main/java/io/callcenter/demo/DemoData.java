package io.callcenter.demo;

import io.callcenter.agent.Agent;
import io.callcenter.agent.AgentDirectory;
import io.callcenter.identity.IdentityService;
import io.callcenter.identity.Role;
import io.callcenter.identity.User;
import io.callcenter.routing.RoutingService;
import io.callcenter.routing.Team;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Development data: two teams with their numbers, their agents and users of every role. Runs while the context
 * starts, before the ARI connection, so the agents' endpoints are part of the first push. Passwords are never
 * defaults in the repository: {@code scripts/dev.sh} generates them.
 *
 * <ul>
 *   <li>Psychology, DID and caller ID +15550100: alice (agent 1001) and bob (agent 1002) with browser softphones
 *   (or SIP phones, {@code callcenter.demo.agent-phone=sip}, as the SIP integration tests use), dave (agent 1003,
 *   always a SIP desk phone, used by {@code make first-call}), maria (manager);</li>
 *   <li>Sales, DID +15550200: carol (agent 3001);</li>
 *   <li>admin (administrator, no team).</li>
 * </ul>
 */
@Component
@ConditionalOnProperty(name = "callcenter.demo.enabled", havingValue = "true")
class DemoData implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    static final String TEAM = "Psychology";
    static final String DID = "+15550100";
    static final String SALES = "Sales";
    static final String SALES_DID = "+15550200";

    private final RoutingService routing;
    private final AgentDirectory agents;
    private final IdentityService identity;
    private final String agentPassword;
    private final String userPassword;
    private final Agent.Phone agentPhone;
    private final Duration wrapUp;
    private final int extraAgents;

    /**
     * @param agentPassword SIP password of agents with desk phones (the softphone gets a fresh one at each login)
     * @param userPassword  login password of every demo user
     * @param extraAgents   load tests need many agents: this many more (extensions 2001, 2002, ...) join Psychology
     */
    DemoData(RoutingService routing, AgentDirectory agents, IdentityService identity,
             @Value("${callcenter.demo.agent-password}") String agentPassword,
             @Value("${callcenter.demo.user-password:}") String userPassword,
             @Value("${callcenter.demo.agent-phone:webrtc}") String agentPhone,
             @Value("${callcenter.demo.wrap-up:60s}") Duration wrapUp,
             @Value("${callcenter.demo.extra-agents:0}") int extraAgents) {
        this.routing = routing;
        this.agents = agents;
        this.identity = identity;
        this.agentPassword = agentPassword;
        this.userPassword = userPassword;
        this.agentPhone = Agent.Phone.fromDb(agentPhone);
        this.wrapUp = wrapUp;
        this.extraAgents = extraAgents;
    }

    @Override
    public void afterPropertiesSet() {
        if (agentPassword == null || agentPassword.length() < 12) {
            throw new IllegalStateException("callcenter.demo.agent-password must be set (12+ characters)");
        }
        Team psychology = team(TEAM, DID);
        Team sales = team(SALES, SALES_DID);

        agent(psychology, "1001", "Alice Agent", agentPhone, "alice");
        agent(psychology, "1002", "Bob Agent", agentPhone, "bob");
        agent(psychology, "1003", "Dave Desk", Agent.Phone.SIP, "dave");
        agent(sales, "3001", "Carol Sales", agentPhone, "carol");
        for (int i = 1; i <= extraAgents; i++) {
            agent(psychology, Integer.toString(2000 + i), "Load Agent " + (2000 + i), Agent.Phone.SIP, null);
        }
        user("maria", "Maria Manager", Role.MANAGER, psychology.id(), null);
        user("admin", "Administrator", Role.ADMIN, null, null);
        log.info("Demo data ready: teams {} ({}) and {} ({}); users alice, bob, dave, carol, maria, admin",
                TEAM, DID, SALES, SALES_DID);
    }

    private Team team(String name, String did) {
        Team team = routing.teamNamed(name).orElseGet(() -> routing.createTeam(name, did, Duration.ofHours(6)));
        Team configured = new Team(team.id(), team.name(), team.callerIdNumber(), team.maxCallDuration(),
                team.allowedPrefixes(), wrapUp);
        routing.update(configured);
        return configured;
    }

    private void agent(Team team, String extension, String name, Agent.Phone phone, String username) {
        Optional<Agent> existing = agents.byExtension(extension);
        Agent agent;
        if (existing.isPresent()) {
            agent = existing.get();
            agents.configurePhone(agent.id(), phone, agentPassword);
        } else {
            agent = agents.create(extension, name, team.id(), phone, agentPassword);
        }
        if (username != null) {
            user(username, name, Role.AGENT, team.id(), agent.id());
        }
    }

    private void user(String username, String name, Role role, UUID teamId, UUID agentId) {
        if (userPassword == null || userPassword.isBlank()) {
            return;
        }
        Optional<User> existing = identity.byUsername(username);
        if (existing.isPresent()) {
            identity.setPassword(existing.get().id(), userPassword);
        } else {
            identity.create(username, name, role, new ArrayList<>(role.defaultPermissions()), teamId, agentId, userPassword);
        }
    }
}
