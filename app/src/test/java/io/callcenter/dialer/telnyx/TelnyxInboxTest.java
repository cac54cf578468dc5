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

        @Override
        Set<String> insertAll(List<InboxWriter.Pending> batch) {
            return batch.stream().map(p -> p.event().eventId()).collect(Collectors.toSet());
        }
    }

    private static TelnyxEvent event(String id) {
        return new TelnyxEvent(id, "call.answered", Instant.parse("2026-11-28T03:00:00Z"), "v3:c", null, null, null, null);
    }

    @Test
    void the_last_arrival_never_moves_back_when_an_older_webhook_of_the_same_commit_returns_last() {
        TelnyxInbox inbox = new TelnyxInbox(new Rows(), new StaticListableBeanFactory().getBeanProvider(MeterRegistry.class));
        Instant newer = Instant.parse("2026-11-28T03:00:01.200Z");
        Instant older = Instant.parse("2026-11-28T03:00:01.100Z");
        inbox.store(event("b"), "{}", newer);
        inbox.store(event("a"), "{}", older);
        assertThat(inbox.lastArrival()).isEqualTo(newer);
    }
}
