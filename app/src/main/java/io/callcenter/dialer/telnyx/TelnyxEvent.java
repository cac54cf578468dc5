package io.callcenter.dialer.telnyx;

import java.time.Instant;
import java.util.UUID;

/**
 * One Telnyx Call Control webhook, reduced to what the dialer acts on.
 *
 * @param attemptId from {@code client_state}, which we set to the attempt id when dialling
 * @param result    {@code payload.result} of answering-machine detection events, {@code payload.status} of
 *                  {@code call.speak.ended} (only {@code completed} means the message was heard to its end),
 *                  {@code payload.digit} of {@code call.dtmf.received}
 * @param hangupCause {@code payload.hangup_cause} of {@code call.hangup}
 */
public record TelnyxEvent(String eventId, String type, Instant occurredAt, String callControlId, UUID attemptId,
                          String result, String hangupCause, String hangupSource) {
}
