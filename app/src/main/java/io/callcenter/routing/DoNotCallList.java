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

    /** Adds the number; adding one already listed changes nothing (the first reason stays). */
    public void add(String e164, String source, String reason, UUID addedBy) {
        entries.insert(e164, source, reason, addedBy);
    }

    public boolean remove(String e164) {
        return entries.delete(e164);
    }

    public List<Entry> page(int limit, String after) {
        return entries.page(limit, after);
    }
}
