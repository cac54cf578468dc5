package io.callcenter.asterisk.ari;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import java.time.Duration;

/**
 * Where and how to reach ARI. The password has no default: it comes from the environment
 * ({@code CALLCENTER_ARI_PASSWORD}) or the file the Asterisk start script generates.
 */
@Validated
@ConfigurationProperties("callcenter.ari")
record AriProperties(
        URI url,
        @NotBlank String username,
        @NotBlank String password,
        @NotBlank String application,
        Duration reconnectMinDelay,
        Duration reconnectMaxDelay,
        Transport transport,
        Integer maxConnections,
        Duration requestTimeout,
        Boolean eventFilter,
        java.util.List<URI> nodes,
        Duration nodeLostAfter) {

    /**
     * Which HTTP client carries ari4java's REST requests: JDK (our {@code JdkAriTransport}, default) or NETTY
     * (ari4java's own, 3 connections); kept selectable so the benchmark can compare both.
     */
    enum Transport { JDK, NETTY }

    AriProperties {
        if (url == null) {
            url = URI.create("http://127.0.0.1:8088/");
        }
        if (reconnectMinDelay == null) {
            reconnectMinDelay = Duration.ofMillis(250);
        }
        if (reconnectMaxDelay == null) {
            reconnectMaxDelay = Duration.ofSeconds(5);
        }
        if (transport == null) {
            transport = Transport.JDK;
        }
        if (maxConnections == null) {
            // Below Asterisk's http.conf sessionlimit, which the event websocket and the softphones' share.
            maxConnections = 64;
        }
        if (requestTimeout == null) {
            requestTimeout = Duration.ofSeconds(10);
        }
        if (eventFilter == null) {
            eventFilter = true;
        }
        // Several Asterisk media nodes behind the SIP edge (issue 17): their ARI base URLs; empty, the one at url.
        nodes = nodes == null ? java.util.List.of() : java.util.List.copyOf(nodes);
        if (nodeLostAfter == null) {
            // Longer than a reconnect after a network blip or an app-side hiccup; short enough that agents on a
            // dead node's calls are freed while callers are still retrying.
            nodeLostAfter = Duration.ofSeconds(10);
        }
    }

    /** The same settings for one node of the cluster. */
    AriProperties forNode(URI nodeUrl) {
        return new AriProperties(nodeUrl, username, password, application, reconnectMinDelay, reconnectMaxDelay,
                transport, maxConnections, requestTimeout, eventFilter, java.util.List.of(), nodeLostAfter);
    }

    /** ari4java and the websocket URL both want the base with a trailing slash. */
    String baseUrl() {
        String base = url.toString();
        return base.endsWith("/") ? base : base + "/";
    }
}
