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

    public boolean isNotFound() {
        return status == 404;
    }
}
