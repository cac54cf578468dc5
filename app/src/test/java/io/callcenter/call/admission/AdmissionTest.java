package io.callcenter.call.admission;

import io.callcenter.call.admission.AdmissionDecision.Limits;
import io.callcenter.call.admission.AdmissionDecision.Signals;
import io.callcenter.web.ApiProblem;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AdmissionTest {

    private static final Instant T0 = Instant.parse("2026-11-28T06:00:00Z");
    private final AtomicReference<Signals> now = new AtomicReference<>(new Signals(0, 0, 0, 0, Duration.ZERO));
    private final AtomicReference<Instant> clockAt = new AtomicReference<>(T0);
    private final List<String> refused = new ArrayList<>();
    private final Admission admission = new Admission(new Limits(3, 0, 50, 0.5, Duration.ZERO,
            Duration.ofSeconds(10), Duration.ofSeconds(5)), now::get, new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return clockAt.get();
        }
    }, (entry, reason) -> refused.add(entry.name() + " " + reason));

    @Test
    void a_click_over_the_limit_gets_503_with_retry_after_and_is_counted() {
        now.set(new Signals(3, 0, 0, 0, Duration.ZERO));
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, admission::requireRoom);
        assertThat(problem.status().value()).isEqualTo(503);
        assertThat(problem.type().toString()).endsWith("over-capacity");
        assertThat(problem.headers()).containsEntry("Retry-After", "5");
        assertThat(refused).containsExactly("CLICK calls-at-limit");

        now.set(new Signals(2, 0, 0, 0, Duration.ZERO));
        admission.requireRoom();
        assertThat(refused).hasSize(1);
    }

    @Test
    void the_dialer_places_only_what_there_is_room_for_counting_its_dials_in_flight() {
        now.set(new Signals(1, 0, 0, 0, Duration.ZERO));
        assertThat(admission.dialsAllowed(5, 0)).isEqualTo(2);
        assertThat(admission.dialsAllowed(5, 1)).isEqualTo(1);
        assertThat(admission.dialsAllowed(1, 1)).isEqualTo(1);
        assertThat(admission.dialsAllowed(5, 4)).isZero();
        // Every dial not placed is counted: 3, 4, 0 and 5 of them.
        assertThat(refused).hasSize(12).containsOnly("DIALER calls-at-limit");
    }

    @Test
    void the_dialer_places_nothing_while_asterisk_recovers_and_resumes_after_the_cool_down() {
        now.set(new Signals(0, 0, 100, 80, Duration.ofMillis(30)));
        assertThat(admission.dialsAllowed(2, 0)).isZero();
        now.set(new Signals(0, 0, 100, 0, Duration.ofMillis(30)));
        clockAt.set(T0.plusSeconds(9));
        assertThat(admission.dialsAllowed(2, 0)).isZero();
        clockAt.set(T0.plusSeconds(10));
        assertThat(admission.dialsAllowed(2, 0)).isEqualTo(2);
        assertThat(refused).hasSize(4).containsOnly("DIALER asterisk-errors");
    }

    @Test
    void the_open_door_lets_everything_in() {
        assertThat(Admission.OPEN.check(Admission.Entry.INBOUND)).isEmpty();
        assertThat(Admission.OPEN.dialsAllowed(50, 1000)).isEqualTo(50);
    }
}
