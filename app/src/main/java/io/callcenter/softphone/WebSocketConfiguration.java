package io.callcenter.softphone;

import io.callcenter.identity.WebSocketGuard;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfiguration implements WebSocketConfigurer {

    private final AgentEvents agentEvents;
    private final WebSocketGuard guard;

    WebSocketConfiguration(AgentEvents agentEvents, WebSocketGuard guard) {
        this.agentEvents = agentEvents;
        this.guard = guard;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // The page is served by this application, so only its own origin needs to connect.
        // Guarded: the socket closes when its token expires or is revoked, or its user is disabled.
        registry.addHandler(guard.guard(agentEvents), "/api/agent/events");
    }
}
