package io.callcenter.agent;

import io.callcenter.asterisk.AsteriskGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which agents' phones our application is subscribed to in Asterisk, so their endpoint states (registered, gone,
 * a channel coming or going) reach {@link EndpointStates} and {@link AgentPresence}.
 *
 * <p>Only the agents' phones, never the whole of PJSIP: an endpoint's topic carries every message of every channel
 * on it, so subscribing the technology had Asterisk turn each message of the carrier's and of every dialplan call
 * into JSON for us, 90-200 per call, in the one queue that, past its high-water mark, stops PJSIP taking requests
 * (issue 14, BENCHMARKS.md "fifth pass", "sixth pass"). Asterisk forgets subscriptions when it restarts and knows
 * none on a node that just came up: every (re)connection subscribes them all again, after the endpoints are pushed.
 * A new agent's phone is subscribed once its endpoint exists (their extension never changes afterwards).
 */
final class PhoneSubscriptions {

    private static final Logger log = LoggerFactory.getLogger(PhoneSubscriptions.class);
    static final String PJSIP = "PJSIP";
    /** Event sources per request: one request per batch, short enough for any HTTP request line. */
    static final int BATCH = 50;

    private final AsteriskGateway asterisk;
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();

    PhoneSubscriptions(AsteriskGateway asterisk) {
        this.asterisk = asterisk;
    }

    /** After the event stream (re)connected, which is also how an instance gains the floor. */
    synchronized void subscribeAll(List<String> extensions) {
        subscribed.clear();
        for (int from = 0; from < extensions.size(); from += BATCH) {
            subscribe(extensions.subList(from, Math.min(extensions.size(), from + BATCH)));
        }
        log.info("Subscribed to {} of {} agents' phones", subscribed.size(), extensions.size());
    }

    /** An agent's endpoint was pushed (created, or given another kind of phone): subscribed once per connection. */
    synchronized void subscribeNew(String extension) {
        if (!subscribed.contains(extension)) {
            subscribe(List.of(extension));
        }
    }

    boolean isSubscribed(String extension) {
        return subscribed.contains(extension);
    }

    private void subscribe(List<String> extensions) {
        try {
            asterisk.subscribeEndpoints(PJSIP, extensions);
            subscribed.addAll(extensions);
        } catch (RuntimeException batchRefused) {
            if (extensions.size() == 1) {
                // Not retried here: the next push of this phone or the next connection subscribes it.
                log.warn("Phone {} not subscribed, its state changes will not reach us: {}", extensions.getFirst(),
                        batchRefused.getMessage());
                return;
            }
            // Asterisk refuses the whole request when one endpoint is missing (its push failed): the rest one by one.
            for (String extension : new ArrayList<>(extensions)) {
                subscribe(List.of(extension));
            }
        }
    }
}
