package io.callcenter.console;

import io.callcenter.identity.WebSocketGuard;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class ConsoleWebSocket implements WebSocketConfigurer {

    private final ConsoleEvents events;
    private final WebSocketGuard guard;

    ConsoleWebSocket(ConsoleEvents events, WebSocketGuard guard) {
        this.events = events;
        this.guard = guard;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // Same origin only, like the agents' socket: the console is served by this application.
        // Guarded: the socket closes when its token expires or is revoked, or its user is disabled.
        registry.addHandler(guard.guard(events), "/api/console/events");
    }
}
