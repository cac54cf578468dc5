package io.callcenter.dialer;

import io.callcenter.agent.AgentPresence;
import io.callcenter.instance.Role;
import io.callcenter.instance.Roles;
import io.callcenter.dialer.telnyx.TelnyxClient;
import io.callcenter.dialer.telnyx.TelnyxInbox;
import io.callcenter.dialer.telnyx.TelnyxProperties;
import io.callcenter.routing.DoNotCallList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DialerProperties.class)
class DialerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DialerConfiguration.class);
    /** How often humans waiting for an agent are looked at: well inside their 2 seconds. */
    private static final Duration MATCH_EVERY = Duration.ofMillis(100);

    /** The dialer's time; an integration test may register its own under this name first (calling hours, callbacks). */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean(name = "dialerClock")
    Clock dialerClock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService dialerLane() {
        // One thread: attempts and campaigns change one task at a time.
        return Executors.newSingleThreadExecutor(Thread.ofPlatform().name("dialer-lane").daemon().factory());
    }

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService dialerCommands() {
        return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("telnyx-command-", 0).factory());
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService dialerTimers() {
        return Executors.newScheduledThreadPool(2, Thread.ofPlatform().name("dialer-timer").daemon().factory());
    }

    @Bean
    DoNotCall dialerDoNotCall(DoNotCallList list) {
        return new DoNotCall() {
            @Override
            public boolean contains(String e164) {
                return list.contains(e164);
            }

            @Override
            public void add(String e164, String reason) {
                list.add(e164, "internal", reason, null);
            }
        };
    }

    @Bean
    DialerEngine dialerEngine(CampaignRepository campaigns, LeadRepository leads, AttemptRepository attempts,
                              TeamAgents agents, DoNotCall doNotCall, TelnyxClient telnyx, TelnyxProperties telnyxProperties,
                              TelnyxInbox inbox, TransactionTemplate transactions, Clock dialerClock,
                              ExecutorService dialerLane, ExecutorService dialerCommands, DialerProperties properties,
                              AgentOffers offers, PacingHistory pacingHistory,
                              io.callcenter.call.DialledCallRecords callRecords,
                              org.springframework.beans.factory.ObjectProvider<io.callcenter.call.admission.Admission> admission) {
        Webhooks webhooks = new Webhooks() {
            @Override
            public java.util.List<io.callcenter.dialer.telnyx.TelnyxEvent> pending(java.time.Instant quietSince, int limit) {
                return inbox.pending(quietSince, limit);
            }

            @Override
            public void markApplied(io.callcenter.dialer.telnyx.TelnyxEvent event, java.time.Instant at, String failure) {
                inbox.markApplied(event, at, failure);
            }

            @Override
            public void markAllApplied(java.util.List<io.callcenter.dialer.telnyx.TelnyxEvent> events, java.time.Instant at) {
                inbox.markAllApplied(events, at);
            }

            @Override
            public boolean failed(io.callcenter.dialer.telnyx.TelnyxEvent event, java.time.Instant at, String failure) {
                return inbox.failed(event, at, failure);
            }
        };
        DialerEngine engine = new DialerEngine(campaigns, leads, attempts, agents, doNotCall, telnyx,
                telnyxProperties.configured(), telnyxProperties.ringTimeout(), webhooks, transactions, dialerClock,
                dialerLane, dialerCommands, properties, offers);
        engine.warmStartFrom(pacingHistory);
        engine.callRecordsFrom(callRecords::agentAnsweredAt);
        // Asked at each tick, not now: the door is built on the call engine, which is being built (it asks for the
        // dialer's DialledLeads) when this engine is.
        engine.admitWith((wanted, inFlight) -> {
            io.callcenter.call.admission.Admission door = admission.getIfAvailable();
            return door == null ? wanted : door.dialsAllowed(wanted, inFlight);
        });
        return engine;
    }

    @Bean
    DialerService dialerService(DialerEngine engine, AttemptRepository attempts, LeadRepository leads,
                                DoNotCall doNotCall, Clock dialerClock) {
        return new DialerService(engine, attempts, leads, doNotCall, dialerClock);
    }

    @Bean
    DialerRunner dialerRunner(DialerEngine engine, TelnyxInbox inbox, ScheduledExecutorService dialerTimers,
                              ExecutorService dialerLane, DialerProperties properties, Roles roles) {
        return new DialerRunner(engine, inbox, dialerTimers, dialerLane, properties, roles);
    }

    /**
     * Starts pacing and the inbox applier once the application is ready and while this instance leads the dialer
     * (issue 17: one leader among the app instances); agent changes trigger a tick at once. A new leader resumes
     * from the attempts in the database ({@link DialerEngine#recover}): every dial was recorded (lead marked
     * dialling, attempt DIALING) before its request to the carrier left, so no lead is dialled again.
     */
    static final class DialerRunner {
        private final DialerEngine engine;
        private final TelnyxInbox inbox;
        private final ScheduledExecutorService timers;
        private final ExecutorService lane;
        private final DialerProperties properties;
        private final Roles roles;
        private final java.util.List<java.util.concurrent.Future<?>> scheduled = new java.util.ArrayList<>();
        private volatile boolean running;
        private Thread applier;

        DialerRunner(DialerEngine engine, TelnyxInbox inbox, ScheduledExecutorService timers, ExecutorService lane,
                     DialerProperties properties, Roles roles) {
            this.roles = roles;
            this.engine = engine;
            this.inbox = inbox;
            this.timers = timers;
            this.lane = lane;
            this.properties = properties;
        }

        @EventListener(ApplicationReadyEvent.class)
        void start() {
            if (!properties.enabled()) {
                log.info("Dialer disabled (callcenter.dialer.enabled=false)");
                return;
            }
            roles.whenHeld(Role.DIALER, this::lead, this::follow);
        }

        private synchronized void lead() {
            if (running) {
                return;
            }
            log.info("This instance leads the dialer: resuming from the attempts in the database");
            running = true;
            lane.execute(engine::recover);
            scheduled.add(timers.scheduleWithFixedDelay(engine::tickSoon, 0, properties.tick().toMillis(), TimeUnit.MILLISECONDS));
            scheduled.add(timers.scheduleWithFixedDelay(() -> lane.execute(engine::matchWaitingHumans), MATCH_EVERY.toMillis(),
                    MATCH_EVERY.toMillis(), TimeUnit.MILLISECONDS));
            applier = Thread.ofVirtual().name("telnyx-inbox").start(this::applyInbox);
            scheduled.add(timers.scheduleWithFixedDelay(this::forgetAppliedWebhooks, 1, 60, TimeUnit.MINUTES));
        }

        /** Another instance leads now: no tick, no webhook applied here (the lane's work in hand finishes). */
        private synchronized void follow() {
            if (!running) {
                return;
            }
            log.warn("This instance no longer leads the dialer");
            stop();
            scheduled.forEach(future -> future.cancel(false));
            scheduled.clear();
        }

        @EventListener
        void agentChanged(AgentPresence.StateChanged changed) {
            if (running) {
                engine.tickForAgents();
            }
        }

        private void applyInbox() {
            while (running) {
                try {
                    if (engine.drainInbox() == 0) {
                        // A webhook held back because its call is not quiet yet is due exactly one hold after its
                        // call's last receipt: sleep until the first such is due (a person waits on every ms), and
                        // look again at once if it is due already.
                        java.util.Optional<java.time.Instant> next = inbox.nextDueArrival();
                        if (next.isPresent()) {
                            java.time.Duration untilDue = java.time.Duration.between(java.time.Instant.now(),
                                    next.get().plus(properties.inboxHold()));
                            if (untilDue.isPositive()) {
                                Thread.sleep(untilDue.plusMillis(5));
                            }
                        } else {
                            // Nothing waiting: wait for the next webhook, and look again now and then for rows a
                            // previous run left behind.
                            inbox.awaitArrival(java.time.Duration.ofSeconds(1));
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.error("Applying Telnyx webhooks failed; retrying", e);
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }

        /** Applied events are kept for the retention period (for a look after an incident), then deleted. */
        private void forgetAppliedWebhooks() {
            try {
                int deleted = inbox.deleteAppliedBefore(java.time.Instant.now().minus(properties.inboxRetention()));
                if (deleted > 0) {
                    log.info("Deleted {} applied Telnyx webhook(s) older than {}", deleted, properties.inboxRetention());
                }
            } catch (RuntimeException e) {
                log.warn("Deleting old Telnyx webhooks failed: {}", e.getMessage());
            }
        }

        @jakarta.annotation.PreDestroy
        void stop() {
            running = false;
            if (applier != null) {
                applier.interrupt();
            }
        }
    }
}
