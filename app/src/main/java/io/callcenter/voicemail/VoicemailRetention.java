package io.callcenter.voicemail;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;

/** Messages older than the retention ({@code callcenter.voicemail.retention}, zero: kept) are deleted. */
@Component
class VoicemailRetention {

    private final VoicemailService service;
    private final Duration retention;
    private final Clock clock = Clock.systemUTC();

    VoicemailRetention(VoicemailService service, @Value("${callcenter.voicemail.retention:30d}") Duration retention) {
        this.service = service;
        this.retention = retention;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void apply() {
        if (!retention.isZero()) {
            service.deleteOlderThan(clock.instant().minus(retention));
        }
    }
}
