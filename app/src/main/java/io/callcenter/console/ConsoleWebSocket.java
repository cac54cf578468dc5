package io.callcenter.console;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class ConsoleWebSocket implements WebSocketConfigurer {

    private final ConsoleEvents events;

    ConsoleWebSocket(ConsoleEvents events) {
        this.events = events;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // Same origin only, like the agents' socket: the console is served by this application.
        registry.addHandler(events, "/api/console/events");
    }
}
