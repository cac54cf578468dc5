package io.callcenter.asterisk;

/**
 * Receives Asterisk events in the order Asterisk sent them. Called on the event stream's single reader thread:
 * implementations must hand work off and return at once, never block or call Asterisk from here.
 */
public interface AsteriskEventListener {

    void onEvent(AsteriskEvent event);

    /**
     * The event stream is (re)connected and no events were seen while it was down: the listener must
     * resynchronise its state with what Asterisk has now.
     */
    void onConnected(AsteriskInfo info);

    void onDisconnected();
}
