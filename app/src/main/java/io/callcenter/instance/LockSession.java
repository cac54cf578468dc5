package io.callcenter.instance;

import java.util.List;

/** A database session holding advisory locks: gone with its connection, and its locks with it. */
interface LockSession {

    /** Opens a session if none is open; false when the database cannot be reached now. */
    boolean open();

    /** Whether the open session still answers; false after the connection broke (its locks are gone). */
    boolean valid();

    /** Takes the lock if nobody holds it (true), or if this session holds it already. */
    boolean tryLock(Role role);

    void unlock(Role role);

    /** Which session (its instance's name) holds each role's lock now, as the database sees it. */
    List<Holder> holders();

    void close();

    record Holder(Role role, String instance) {
    }
}
