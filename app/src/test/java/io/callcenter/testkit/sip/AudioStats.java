package io.callcenter.testkit.sip;

import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * RTP counters of one call. {@code packetsReceived} counts every RTP packet, {@code audioPacketsReceived} only
 * PCMU/PCMA ones, {@code eventPacketsReceived} RFC 4733 telephone-events; receive times are null until a packet came.
 */
public record AudioStats(long packetsSent, long packetsReceived, long audioPacketsReceived, long eventPacketsReceived,
                         Instant firstReceived, Instant lastReceived, int localPort, InetSocketAddress remote) {
}
