package io.callcenter.routing;

import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Numbers that must never be called: the company's own list (a lead's "do not call" takes effect at once) and
 * imported registries. Checked before every outbound dial, whoever or whatever places it.
 */
@Service
public class DoNotCallList {

    public record Entry(String e164, String source, String reason, UUID addedBy, Instant createdAt) {
    }

    private final DoNotCallRepository entries;

    DoNotCallList(DoNotCallRepository entries) {
        this.entries = entries;
    }

    public boolean contains(String e164) {
        return entries.exists(e164);
    }

    /**
     * Adds the number; adding one already listed changes nothing (the first reason stays).
     *
     * @return whether the number was new to the list
     */
    public boolean add(String e164, String source, String reason, UUID addedBy) {
        return entries.insert(e164, source, reason, addedBy);
    }

    /** Adds many at once (an imported registry); returns how many were new. */
    @org.springframework.transaction.annotation.Transactional
    public int addAll(List<String> e164s, String source, String reason, UUID addedBy) {
        int added = 0;
        // Chunks keep each statement's bind variables well under PostgreSQL's limit of 65535.
        for (int from = 0; from < e164s.size(); from += 1000) {
            added += entries.insertAll(e164s.subList(from, Math.min(e164s.size(), from + 1000)), source, reason, addedBy);
        }
        return added;
    }

    public java.util.Optional<Entry> find(String e164) {
        return entries.find(e164);
    }

    public boolean remove(String e164) {
        return entries.delete(e164);
    }

    public List<Entry> page(int limit, String after) {
        return page(limit, after, null);
    }

    /** Numbers containing {@code digits} (a search by a part of the number), or all when null. */
    public List<Entry> page(int limit, String after, String digits) {
        return entries.page(limit, after, digits);
    }
}
