package io.callcenter.call.admission;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * @param maxCallsPerNode     calls one Asterisk node carries with every guarantee; set from {@code make bench-capacity}
 *                            on the node's hardware (README, "Admission control"); 0: no call limit
 * @param maxQueuedLaneTasks  call tasks waiting in their lanes at which the app is behind its calls; 0: off
 * @param ariWindow           the window the ARI figures are measured over
 * @param minAriRequests      ARI requests in the window below which its figures say nothing
 * @param maxAriErrorRatio    share of ARI requests failing (no answer, 5xx) at which Asterisk is overloaded; 0: off
 * @param maxAriMeanLatency   mean ARI request time at which Asterisk is overloaded; 0: off
 * @param coolDown            how long new calls stay refused after a health signal last tripped
 * @param retryAfterAtLimit   the Retry-After a click gets when the call limit alone refused it
 */
@ConfigurationProperties("callcenter.admission")
public record AdmissionProperties(int maxCallsPerNode, int maxQueuedLaneTasks, Duration ariWindow, int minAriRequests,
                                  double maxAriErrorRatio, Duration maxAriMeanLatency, Duration coolDown,
                                  Duration retryAfterAtLimit) {

    public AdmissionProperties {
        ariWindow = ariWindow == null ? Duration.ofSeconds(10) : ariWindow;
        maxAriMeanLatency = maxAriMeanLatency == null ? Duration.ZERO : maxAriMeanLatency;
        coolDown = coolDown == null ? Duration.ofSeconds(10) : coolDown;
        retryAfterAtLimit = retryAfterAtLimit == null ? Duration.ofSeconds(5) : retryAfterAtLimit;
    }

    AdmissionDecision.Limits limits(int nodes) {
        return new AdmissionDecision.Limits(maxCallsPerNode * Math.max(1, nodes), maxQueuedLaneTasks, minAriRequests,
                maxAriErrorRatio, maxAriMeanLatency, coolDown, retryAfterAtLimit);
    }
}
