package io.callcenter.asterisk;

/** A command failed. {@code status} is the ARI HTTP status (404: the channel or bridge is already gone). */
public class AsteriskException extends RuntimeException {

    private final int status;

    public AsteriskException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /**
     * The channel or bridge is gone. Most ARI resources answer 404, but the bridge-membership commands answer 400
     * "Channel not found" for a channel that hung up meanwhile.
     */
    public boolean isNotFound() {
        return status == 404 || status == 400 && getMessage() != null && getMessage().endsWith("Channel not found");
    }
}
