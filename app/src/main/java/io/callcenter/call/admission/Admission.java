package io.callcenter.call.admission;

import io.callcenter.asterisk.AsteriskGateway.HangupReason;
import io.callcenter.call.admission.AdmissionDecision.Limits;
import io.callcenter.call.admission.AdmissionDecision.Outcome;
import io.callcenter.call.admission.AdmissionDecision.Present;
import io.callcenter.call.admission.AdmissionDecision.Refusal;
import io.callcenter.call.admission.AdmissionDecision.Signals;
import io.callcenter.call.model.Call;
import io.callcenter.call.parties.Parties;
import io.callcenter.web.ApiProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The door of every new call: asks {@link AdmissionDecision} with what is measured now and tells each entry its
 * answer in its own terms. Thread-safe: the entries (call lanes, HTTP threads, the dialer's lane) ask at once.
 */
public final class Admission {

    /** Where a new call comes from: the metric's label. */
    public enum Entry {
        INBOUND, CLICK, DIALER;

        String label() {
            return name().toLowerCase();
        }
    }

    /** Lets everything in: unit tests and deployments without the engine. */
    public static final Admission OPEN = new Admission(new Limits(0, 0, 0, 0, null, java.time.Duration.ZERO,
            java.time.Duration.ZERO), () -> new Signals(0, 0, 0, 0, java.time.Duration.ZERO), Clock.systemUTC(),
            (entry, reason) -> { });

    private static final Logger log = LoggerFactory.getLogger(Admission.class);

    private final Limits limits;
    private final Supplier<Signals> signals;
    private final Clock clock;
    private final BiConsumer<Entry, String> refused;
    private Present present = Present.HEALTHY;

    /** @param refused told of each refusal (entry, reason): the refusals counter */
    public Admission(Limits limits, Supplier<Signals> signals, Clock clock, BiConsumer<Entry, String> refused) {
        this.limits = limits;
        this.signals = signals;
        this.clock = clock;
        this.refused = refused;
    }

    public Optional<Refusal> check(Entry entry) {
        return check(entry, 0);
    }

    /** {@code counted}: calls of this entry already live (an inbound call exists from its first event). */
    private Optional<Refusal> check(Entry entry, int counted) {
        Optional<Refusal> refusal = decide(counted);
        refusal.ifPresent(refused -> {
            this.refused.accept(entry, refused.reason());
            log.info("admission: {} call refused: {}", entry.label(), refused.detail());
        });
        return refusal;
    }

    private Optional<Refusal> decide(int counted) {
        Instant now = clock.instant();
        Signals live = signals.get();
        Signals measured = new Signals(live.activeCalls() - counted, live.queuedLaneTasks(), live.ariRequests(),
                live.ariErrors(), live.ariMeanLatency());
        Outcome outcome;
        synchronized (this) {
            outcome = AdmissionDecision.decide(present, measured, limits, now);
            if (!outcome.next().equals(present)) {
                log.warn("admission: {}", outcome.next().closedUntil() == null ? "open again"
                        : "closed until " + outcome.next().closedUntil() + " (" + outcome.next().reason() + ")");
            }
            present = outcome.next();
        }
        return outcome.refusal();
    }

    /**
     * An inbound call the platform cannot carry: hung up before it is answered with cause 34 (congestion), which
     * Asterisk's PJSIP sends as 503 so the carrier can fail over to another route. True when it was turned away.
     */
    public boolean turnedAway(Call call, Parties parties, Instant at) {
        Optional<Refusal> refusal = check(Entry.INBOUND, 1);
        if (refusal.isEmpty()) {
            return false;
        }
        call.note(at, "admission refused", refusal.get().detail());
        parties.failCall(call, "over_capacity", HangupReason.CONGESTION, at);
        return true;
    }

    /** An agent's click to dial: 503 problem+json with Retry-After, before any channel exists. */
    public void requireRoom() {
        check(Entry.CLICK).ifPresent(refusal -> {
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "over-capacity", "Over capacity",
                    "The platform cannot connect another call with its guarantees now (" + refusal.detail() + ")")
                    .with("reason", refusal.reason())
                    .header("Retry-After", Long.toString(Math.max(1, (refusal.retryAfter().toMillis() + 999) / 1000)));
        });
    }

    /**
     * The dialer's next dials: none while the platform is closed, else at most the room left under the call limit
     * counting the dials already in flight (each becomes a call when answered). Each dial not placed is counted.
     */
    public int dialsAllowed(int wanted, int inFlight) {
        if (wanted <= 0) {
            return wanted;
        }
        Optional<Refusal> closed = decide(0);
        int room = AdmissionDecision.headroom(signals.get(), limits);
        int allowed = closed.isPresent() ? 0
                : room == Integer.MAX_VALUE ? wanted : Math.max(0, Math.min(wanted, room - inFlight));
        String reason = closed.map(Refusal::reason).orElse("calls-at-limit");
        for (int dial = allowed; dial < wanted; dial++) {
            refused.accept(Entry.DIALER, reason);
        }
        return allowed;
    }
}
