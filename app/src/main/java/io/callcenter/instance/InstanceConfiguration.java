package io.callcenter.instance;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The instance's roles: with {@code callcenter.instance.locks=true} (the default) decided by advisory locks
 * polled every {@code callcenter.instance.retry}; with false this instance holds every role (one app alone, or a
 * test that must not wait for a lock).
 */
@Configuration(proxyBeanMethods = false)
class InstanceConfiguration {

    @Bean
    Roles instanceRoles(@Value("${callcenter.instance.locks:true}") boolean locks,
                        @Value("${callcenter.instance.name:}") String name,
                        @Value("${spring.datasource.url}") String url,
                        @Value("${spring.datasource.username:}") String user,
                        @Value("${spring.datasource.password:}") String password,
                        ObjectProvider<MeterRegistry> meters) {
        if (!locks) {
            return new AlwaysHeld();
        }
        String instance = name.isBlank() ? defaultName() : name;
        return new Ownership(new AdvisoryLockRepository(url, user, password, instance), instance, Clock.systemUTC(),
                meters.getIfAvailable(CompositeMeterRegistry::new));
    }

    @Bean
    OwnershipPolling ownershipPolling(Roles roles, @Value("${callcenter.instance.retry:1s}") Duration retry) {
        return new OwnershipPolling(roles instanceof Ownership ownership ? ownership : null, retry);
    }

    /** Operators' view in {@code /actuator/health}: this instance, what it holds, who holds each role. */
    @Bean
    HealthIndicator instanceHealthIndicator(Roles roles) {
        return () -> {
            if (!(roles instanceof Ownership ownership)) {
                return Health.up().withDetail("locks", false).withDetail("holds", java.util.List.of(Role.values())).build();
            }
            Map<String, String> holders = new java.util.TreeMap<>();
            ownership.holders().forEach(h -> holders.put(h.role().name(), h.instance()));
            return Health.up()
                    .withDetail("instance", ownership.instance())
                    .withDetail("holds", ownership.held().stream()
                            .map(h -> Map.of("role", h.role().name(), "since", h.since().toString())).toList())
                    .withDetail("holders", holders)
                    .build();
        };
    }

    /** host-pid: unique among the instances of one database, and readable in pg_stat_activity. */
    private static String defaultName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return "callcenter@" + host + "-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(System.identityHashCode(new Object()));
    }

    /**
     * Takes the roles before the event streams and the dialer ask for them (an earlier phase), so one instance
     * alone starts as fast as before; gives them up after those stopped (a clean handover on shutdown).
     */
    static final class OwnershipPolling implements SmartLifecycle {

        private final Ownership ownership;
        private final Duration retry;
        private ScheduledExecutorService timer;
        private volatile boolean running;

        OwnershipPolling(Ownership ownership, Duration retry) {
            this.ownership = ownership;
            this.retry = retry;
        }

        @Override
        public void start() {
            running = true;
            if (ownership == null) {
                return;
            }
            ownership.poll();
            timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("instance-roles").daemon().factory());
            timer.scheduleWithFixedDelay(ownership::poll, retry.toMillis(), retry.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void stop() {
            running = false;
            if (ownership == null) {
                return;
            }
            timer.shutdownNow();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ownership.stop();
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return SmartLifecycle.DEFAULT_PHASE - 2048;
        }
    }

    /** One app alone: every role is its own. */
    static final class AlwaysHeld implements Roles {
        @Override
        public void whenHeld(Role role, Runnable gained, Runnable lost) {
            gained.run();
        }

        @Override
        public boolean holds(Role role) {
            return true;
        }
    }
}
