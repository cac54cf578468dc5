package io.callcenter.instance;

/** What one instance at a time does; each is a PostgreSQL advisory lock. */
public enum Role {
    /** The Asterisk event streams: the live calls, agents' presence, the queues. */
    FLOOR(1),
    /** The dialer's pacing, watchdogs and webhook applier; sought only while holding {@link #FLOOR}. */
    DIALER(2);

    /** The second half of the advisory lock's two-int key; the first is {@link AdvisoryLockRepository#NAMESPACE}. */
    final int lockId;

    Role(int lockId) {
        this.lockId = lockId;
    }
}
