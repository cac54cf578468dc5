package io.callcenter.dialer;

/** How an attempt ended: the same codes as the {@code disposition_code} table, which agents also pick from. */
public enum Outcome {
    ANSWERED, NO_ANSWER, BUSY, VOICEMAIL, CALLBACK, INTERESTED, NOT_INTERESTED, DO_NOT_CALL, WRONG_NUMBER, DISCONNECTED,
    ABANDONED
}
