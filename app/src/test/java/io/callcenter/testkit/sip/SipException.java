package io.callcenter.testkit.sip;

/** A SIP request ended with a failure response, or with none at all (status 408, as RFC 3261 §8.1.3.1 reports timeouts). */
public class SipException extends RuntimeException {

    private final int status;

    public SipException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The final response code, 408 for a transaction timeout, 503 for a transport error. */
    public int status() {
        return status;
    }
}
