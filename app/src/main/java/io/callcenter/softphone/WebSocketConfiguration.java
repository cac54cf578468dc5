package io.callcenter.softphone;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfiguration implements WebSocketConfigurer {

    private final AgentEvents agentEvents;

    WebSocketConfiguration(AgentEvents agentEvents) {
        this.agentEvents = agentEvents;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // The page is served by this application, so only its own origin needs to connect.
        registry.addHandler(agentEvents, "/api/agent/events");
    }
}
