package io.callcenter.voicemail;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.AsteriskEventListener;
import io.callcenter.asterisk.AsteriskGateway;
import io.callcenter.asterisk.AsteriskInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Message waiting on desk phones: each SIP agent's mailbox ({@code <extension>@callcenter}, named in the endpoint's
 * {@code mailboxes=} by the agent provisioner) counts the new and heard messages of the agent's own box and of the
 * team's box. Told whenever a box changes and again on every connect (Asterisk forgets it when it restarts).
 */
@Component
class MessageWaiting implements AsteriskEventListener {

    private static final Logger log = LoggerFactory.getLogger(MessageWaiting.class);
    static final String CONTEXT = "callcenter";

    private final VoicemailRepository repository;
    private final AsteriskGateway asterisk;
    /** One at a time and off the caller's thread: a call's lane or a page's request never waits for Asterisk. */
    private final ExecutorService sender = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("mwi").factory());

    MessageWaiting(VoicemailRepository repository, AsteriskGateway asterisk) {
        this.repository = repository;
        this.asterisk = asterisk;
    }

    static String mailbox(String extension) {
        return extension + "@" + CONTEXT;
    }

    void boxChanged(VoicemailBox box) {
        sender.execute(() -> repository.deskPhones(box.teamId()).stream()
                .filter(phone -> box.isTeamBox() || phone.agentId().equals(box.agentId()))
                .forEach(this::tell));
    }

    @Override
    public void onConnected(AsteriskInfo info) {
        sender.execute(() -> repository.deskPhones(null).forEach(this::tell));
    }

    @Override
    public void onEvent(AsteriskEvent event) {
        // Message waiting follows boxes, not calls.
    }

    @Override
    public void onDisconnected() {
        // Told again on the next connect.
    }

    /** Before the database goes (this bean is destroyed first): what is being told finishes, nothing new starts. */
    @jakarta.annotation.PreDestroy
    void stop() throws InterruptedException {
        sender.shutdown();
        if (!sender.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
            sender.shutdownNow();
        }
    }

    private void tell(VoicemailRepository.DeskPhone phone) {
        try {
            List<UUID> boxes = repository.boxesOf(phone.agentId(), phone.teamId());
            Map<UUID, int[]> counts = boxes.isEmpty() ? Map.of() : repository.counts(boxes);
            int fresh = counts.values().stream().mapToInt(c -> c[0]).sum();
            int heard = counts.values().stream().mapToInt(c -> c[1]).sum();
            asterisk.messageWaiting(mailbox(phone.extension()), fresh, heard);
        } catch (RuntimeException e) {
            log.warn("Message waiting for {} not told: {}", phone.extension(), e.getMessage());
        }
    }
}
