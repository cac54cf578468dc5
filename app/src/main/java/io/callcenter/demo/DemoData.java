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

    DemoData(RoutingService routing, AgentDirectory agents, @Value("${callcenter.demo.agent-password}") String agentPassword) {
        this.routing = routing;
        this.agents = agents;
        this.agentPassword = agentPassword;
    }

    @Override
    public void afterPropertiesSet() {
        if (agentPassword == null || agentPassword.length() < 12) {
            throw new IllegalStateException("callcenter.demo.agent-password must be set (12+ characters)");
        }
        Team team = routing.teamNamed(TEAM).orElseGet(() -> routing.createTeam(TEAM, DID, Duration.ofHours(6)));
        for (String[] agent : new String[][] {{"1001", "Alice Agent"}, {"1002", "Bob Agent"}}) {
            if (agents.byExtension(agent[0]).isPresent()) {
                agents.changeSipPassword(agent[0], agentPassword);
            } else {
                agents.create(agent[0], agent[1], team.id(), agentPassword);
            }
        }
        log.info("Demo data ready: team {} on {}, agents 1001 and 1002", TEAM, DID);
    }
}
