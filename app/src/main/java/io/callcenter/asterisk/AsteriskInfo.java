package io.callcenter.asterisk;

import java.time.Instant;

/** {@code startedAt} changes when Asterisk restarts: that is how we know every call it carried is gone. */
public record AsteriskInfo(String version, String systemName, Instant startedAt) {
}
