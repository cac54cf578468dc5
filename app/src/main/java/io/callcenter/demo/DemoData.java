package io.callcenter.demo;

import io.callcenter.agent.AgentDirectory;
import io.callcenter.routing.RoutingService;
import io.callcenter.routing.Team;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Development data: the Psychology team with its DID and two agents. Runs while the context starts, before the
 * ARI connection, so the agents' endpoints are part of the first push. The SIP password is never a default in the
 * repository: {@code scripts/dev.sh} generates it.
 */
@Component
@ConditionalOnProperty(name = "callcenter.demo.enabled", havingValue = "true")
class DemoData implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    static final String TEAM = "Psychology";
    static final String DID = "+15550100";

    private final RoutingService routing;
    private final AgentDirectory agents;
    private final String agentPassword;
    private final int extraAgents;

    /**
     * @param extraAgents load tests need many agents: this many more (extensions 2001, 2002, ...) join the team
     */
    DemoData(RoutingService routing, AgentDirectory agents,
             @Value("${callcenter.demo.agent-password}") String agentPassword,
             @Value("${callcenter.demo.extra-agents:0}") int extraAgents) {
        this.routing = routing;
        this.agents = agents;
        this.agentPassword = agentPassword;
        this.extraAgents = extraAgents;
    }

    @Override
    public void afterPropertiesSet() {
        if (agentPassword == null || agentPassword.length() < 12) {
            throw new IllegalStateException("callcenter.demo.agent-password must be set (12+ characters)");
        }
        Team team = routing.teamNamed(TEAM).orElseGet(() -> routing.createTeam(TEAM, DID, Duration.ofHours(6)));
        java.util.List<String[]> wanted = new java.util.ArrayList<>();
        wanted.add(new String[] {"1001", "Alice Agent"});
        wanted.add(new String[] {"1002", "Bob Agent"});
        for (int i = 1; i <= extraAgents; i++) {
            wanted.add(new String[] {Integer.toString(2000 + i), "Load Agent " + (2000 + i)});
        }
        for (String[] agent : wanted) {
            if (agents.byExtension(agent[0]).isPresent()) {
                agents.changeSipPassword(agent[0], agentPassword);
            } else {
                agents.create(agent[0], agent[1], team.id(), agentPassword);
            }
        }
        log.info("Demo data ready: team {} on {}, agents 1001 and 1002", TEAM, DID);
    }
}
