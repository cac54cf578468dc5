package io.callcenter.ops;

import java.sql.SQLTransientConnectionException;
import java.time.Instant;

/**
 * The database is known to be away (see {@link DatabaseBreaker}): no connection was tried. A transient connection
 * error, so Spring translates it like a pool timeout and {@link DatabaseOutage#isOutage} recognises it.
 */
public final class DatabaseUnavailable extends SQLTransientConnectionException {

    public DatabaseUnavailable(Instant since) {
        super("database unavailable since " + since + " (failing fast)", "08001");
    }
}
