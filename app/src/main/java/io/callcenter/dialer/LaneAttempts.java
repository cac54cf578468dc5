package io.callcenter.dialer;

import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionOperations;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The open attempts as the dialer's lane last stored them, kept across batches: a person's two webhooks, the
 * agent's reservation, the call module's claim and its "connected" each read the attempt back from PostgreSQL
 * before (BENCHMARKS.md, "the dialer's attempts in memory"). Lane only, like everything that changes attempts.
 *
 * <p>Never ahead of the database: what a transaction writes is kept aside and joins the memory only once the
 * outermost transaction has committed; if it rolls back, every attempt it touched is forgotten, so the next read
 * goes to the database. Never behind it: every write of an attempt on the lane goes through here (a write that
 * only removes or bypasses is {@link #forget}), and a new leader starts with nothing remembered ({@link #forgetAll}:
 * another instance may have changed any attempt meanwhile). An ended attempt leaves: nothing decides about it.
 */
final class LaneAttempts {

    private final AttemptRepository database;
    /** As committed. */
    private final Map<UUID, Attempt> stored = new HashMap<>();
    /** Written by the open transaction, not yet committed. */
    private final Map<UUID, Attempt> uncommitted = new HashMap<>();
    /** Every attempt the open transaction wrote or removed: forgotten if it rolls back. */
    private final Set<UUID> touched = new HashSet<>();
    /** Nesting of the lane's transactions; 0: none open. */
    private int depth;

    LaneAttempts(AttemptRepository database) {
        this.database = database;
    }

    /** The lane's transactions, with the memory following their commits and rollbacks. */
    TransactionOperations tracking(TransactionOperations transactions) {
        return new TransactionOperations() {
            @Override
            public <T> T execute(TransactionCallback<T> action) throws TransactionException {
                depth++;
                boolean outermost = depth == 1;
                try {
                    T result = transactions.execute(action);
                    if (outermost) {
                        committed();
                    }
                    return result;
                } catch (RuntimeException | Error e) {
                    if (outermost) {
                        rolledBack();
                    }
                    throw e;
                } finally {
                    depth--;
                }
            }
        };
    }

    Optional<Attempt> find(UUID id) {
        Attempt known = known(id);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Attempt> read = database.find(id);
        read.ifPresent(this::remember);
        return read;
    }

    /** Those not remembered in one read; those not stored are left out. */
    List<Attempt> findAll(Collection<UUID> ids) {
        List<Attempt> found = new java.util.ArrayList<>();
        Set<UUID> toRead = new HashSet<>();
        for (UUID id : ids) {
            Attempt known = known(id);
            if (known != null) {
                found.add(known);
            } else {
                toRead.add(id);
            }
        }
        if (toRead.isEmpty()) {
            return found;
        }
        for (Attempt read : database.findAll(toRead)) {
            remember(read);
            found.add(read);
        }
        return found;
    }

    void insert(Attempt attempt) {
        database.insert(attempt);
        written(attempt);
    }

    void save(Attempt attempt) {
        database.save(attempt);
        written(attempt);
    }

    /** The attempt was changed or removed other than by {@link #save}: read it from the database next time. */
    void forget(UUID id) {
        stored.remove(id);
        uncommitted.remove(id);
        if (depth > 0) {
            touched.add(id);
        }
    }

    /** Another instance may have led the dialer meanwhile: nothing remembered holds any more. */
    void forgetAll() {
        stored.clear();
        uncommitted.clear();
        touched.clear();
    }

    /** How many attempts are remembered (for tests). */
    int remembered() {
        return stored.size();
    }

    private Attempt known(UUID id) {
        Attempt written = uncommitted.get(id);
        if (written != null) {
            return written;
        }
        // Removed or bypassed in the open transaction: only the database knows it now.
        return touched.contains(id) ? null : stored.get(id);
    }

    /** A read from the database: what the open transaction itself wrote stays aside until it commits. */
    private void remember(Attempt read) {
        if (touched.contains(read.id())) {
            uncommitted.put(read.id(), read);
        } else if (read.state() != AttemptState.ENDED) {
            stored.put(read.id(), read);
        }
    }

    /** The attempt as a transaction of the lane stores it (its row is written before the transaction commits). */
    void written(Attempt attempt) {
        if (depth > 0) {
            touched.add(attempt.id());
            uncommitted.put(attempt.id(), attempt);
        } else {
            keep(attempt);
        }
    }

    private void keep(Attempt attempt) {
        if (attempt.state() == AttemptState.ENDED) {
            stored.remove(attempt.id());
        } else {
            stored.put(attempt.id(), attempt);
        }
    }

    private void committed() {
        for (UUID id : touched) {
            Attempt written = uncommitted.get(id);
            if (written == null) {
                stored.remove(id);
            } else {
                keep(written);
            }
        }
        uncommitted.clear();
        touched.clear();
    }

    private void rolledBack() {
        touched.forEach(stored::remove);
        uncommitted.clear();
        touched.clear();
    }
}
