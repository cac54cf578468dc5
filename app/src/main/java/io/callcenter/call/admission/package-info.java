/**
 * Admission control: a new call (inbound, an agent's click to dial, the dialer's next dial) is refused before it is
 * connected when the platform is past what it can carry with its guarantees (recording, audio), instead of being
 * connected degraded. The carrier hears 503 and can fail over; the click gets problem+json 503 with Retry-After; the
 * dialer places only the calls there is room for.
 */
@org.springframework.modulith.NamedInterface("admission")
package io.callcenter.call.admission;
