package io.callcenter.asterisk.ari;

import io.callcenter.asterisk.AsteriskGateway;
import io.callcenter.asterisk.AsteriskInfo;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Up only when the events websocket is connected and Asterisk answers a REST request. */
final class AriHealthIndicator implements HealthIndicator {

    private final AsteriskGateway gateway;

    AriHealthIndicator(AsteriskGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public Health health() {
        if (!gateway.connected()) {
            return Health.down().withDetail("events", "disconnected").build();
        }
        try {
            AsteriskInfo info = gateway.info();
            return Health.up()
                    .withDetail("events", "connected")
                    .withDetail("version", info.version())
                    .withDetail("startedAt", info.startedAt().toString())
                    .build();
        } catch (RuntimeException e) {
            return Health.down(e).withDetail("events", "connected").build();
        }
    }
}
