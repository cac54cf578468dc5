package io.callcenter.dialer.telnyx;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class TelnyxInboxTest {

    /** Stores in memory: every event id is new. */
    private static final class Rows extends TelnyxInboxRepository {
        Rows() {
            super(null);
        }

        private final List<Pending> stored = new java.util.ArrayList<>();

        @Override
        Set<String> insertAll(List<InboxWriter.Pending> batch) {
            batch.forEach(p -> stored.add(new Pending(p.event(), p.receivedAt())));
            return batch.stream().map(p -> p.event().eventId()).collect(Collectors.toSet());
        }

        @Override
        List<Pending> pending(int limit) {
            return List.copyOf(stored);
        }
    }

    private static TelnyxEvent event(String id) {
        return event(id, "v3:c");
    }

    private static TelnyxEvent event(String id, String callControlId) {
        return new TelnyxEvent(id, "call.answered", Instant.parse("2026-11-28T03:00:00Z"), callControlId, null, null, null, null);
    }

    @Test
    void the_next_call_due_is_the_one_whose_last_webhook_came_first_not_the_newest_webhook() {
        TelnyxInbox inbox = new TelnyxInbox(new Rows(), new StaticListableBeanFactory().getBeanProvider(MeterRegistry.class));
        assertThat(inbox.nextDueArrival()).as("nothing waiting").isEmpty();
        Instant first = Instant.parse("2026-11-28T03:00:01.000Z");
        Instant second = Instant.parse("2026-11-28T03:00:01.250Z");
        inbox.store(event("b", "v3:second"), "{}", second);
        inbox.store(event("a", "v3:first"), "{}", first);
        assertThat(inbox.nextDueArrival()).as("stored since the last look").contains(first);

        // At 01.100 with a 300 ms hold neither call is quiet: the first is due at 01.300, not one hold after 01.250.
        assertThat(inbox.pending(Instant.parse("2026-11-28T03:00:00.800Z"), 200)).isEmpty();
        assertThat(inbox.nextDueArrival()).as("held back at the last look").contains(first);

        // Once the first call is quiet and taken, the second is the one waiting.
        assertThat(inbox.pending(Instant.parse("2026-11-28T03:00:01.000Z"), 200)).extracting(TelnyxEvent::eventId).containsExactly("a");
        assertThat(inbox.nextDueArrival()).contains(second);
    }

    @Test
    void the_next_due_arrival_is_the_earliest_when_an_older_webhook_of_the_same_commit_returns_last() {
        TelnyxInbox inbox = new TelnyxInbox(new Rows(), new StaticListableBeanFactory().getBeanProvider(MeterRegistry.class));
        Instant newer = Instant.parse("2026-11-28T03:00:01.200Z");
        Instant older = Instant.parse("2026-11-28T03:00:01.100Z");
        inbox.store(event("b"), "{}", newer);
        inbox.store(event("a"), "{}", older);
        assertThat(inbox.nextDueArrival()).contains(older);
    }
}
