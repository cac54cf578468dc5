package io.callcenter.agent;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.AsteriskEventListener;
import io.callcenter.asterisk.AsteriskGateway;
import io.callcenter.asterisk.AsteriskInfo;
import io.callcenter.asterisk.EndpointSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agents' phones (PJSIP endpoints) as Asterisk last told us: listed once when the event stream connects, then
 * kept by {@code EndpointStateChange}, which Asterisk sends whenever an endpoint goes on or off line or a channel
 * of it comes or goes. Routing reads this instead of asking Asterisk for every endpoint on every call: with 200
 * agents that listing was the largest request and the largest parse of a call's setup (issue 14, BENCHMARKS.md).
 *
 * <p>While the stream is down, or for an endpoint not seen yet (created since the listing), the answer is asked
 * of Asterisk as before, so a missed event can only make an answer as old as the stream's last reconnection.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
public class EndpointStates implements AsteriskEventListener {

    private static final Logger log = LoggerFactory.getLogger(EndpointStates.class);
    private static final String PJSIP = "PJSIP";

    private final AsteriskGateway asterisk;
    private final Map<String, EndpointSnapshot> known = new ConcurrentHashMap<>();
    private volatile boolean current;

    EndpointStates(AsteriskGateway asterisk) {
        this.asterisk = asterisk;
    }

    /**
     * One agent's phone: online, and its live channels. One the events say is offline is asked of Asterisk: a phone
     * that has just registered is online there a few milliseconds before its event reaches us (an agent calling a
     * colleague who has just logged in was refused as unavailable), and asking costs only for phones that are away.
     */
    public EndpointSnapshot of(String resource) {
        EndpointSnapshot snapshot = current ? known.get(resource) : null;
        return snapshot != null && snapshot.online() ? snapshot : asterisk.endpoint(PJSIP, resource);
    }

    /** Every PJSIP endpoint by resource; asked of Asterisk only while the events cannot be trusted. */
    public Map<String, EndpointSnapshot> all() {
        if (current) {
            return known;
        }
        return asterisk.endpoints(PJSIP).stream()
                .collect(java.util.stream.Collectors.toMap(EndpointSnapshot::resource, e -> e, (a, b) -> a));
    }

    @Override
    public void onEvent(AsteriskEvent event) {
        if (event instanceof AsteriskEvent.EndpointStateChanged changed && PJSIP.equals(changed.technology())) {
            known.put(changed.resource(), new EndpointSnapshot(PJSIP, changed.resource(), changed.online(),
                    changed.channelIds()));
        }
    }

    @Override
    public void onConnected(AsteriskInfo info) {
        // On the stream's thread before any new event, after AgentProvisioner subscribed us to the agents' phones
        // (the first listener), so no change falls between the listing and the first event. Only the agents'
        // phones send events now (PhoneSubscriptions); the carrier's stays as listed and no agent's.
        current = false;
        known.clear();
        try {
            for (EndpointSnapshot endpoint : asterisk.endpoints(PJSIP)) {
                known.putIfAbsent(endpoint.resource(), endpoint);
            }
            current = true;
        } catch (RuntimeException e) {
            log.warn("Could not list the agents' phones after connecting; asking Asterisk per call: {}", e.getMessage());
        }
    }

    @Override
    public void onDisconnected() {
        current = false;
    }
}
