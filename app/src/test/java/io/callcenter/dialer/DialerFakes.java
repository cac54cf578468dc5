package io.callcenter.dialer;

import io.callcenter.dialer.telnyx.TelnyxEvent;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/** In-memory stand-ins for the dialer's ports and repositories, for fast tests of the engine's decisions. */
final class DialerFakes {

    private DialerFakes() {
    }

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        private Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void advance(java.time.Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    static final class Campaigns extends CampaignRepository {
        final Map<UUID, Campaign> byId = new LinkedHashMap<>();
        final List<SwitchChange> changes = new ArrayList<>();

        Campaigns() {
            super(null);
        }

        @Override
        void insert(Campaign c) {
            byId.put(c.id(), c);
        }

        @Override
        Optional<Campaign> find(UUID id) {
            return Optional.ofNullable(byId.get(id));
        }

        @Override
        List<Campaign> findAll() {
            return List.copyOf(byId.values());
        }

        @Override
        boolean setSwitch(UUID id, String switchName, boolean value, String reason, UUID changedBy, Instant at) {
            Campaign c = byId.get(id);
            boolean enabled = switchName.equals("enabled");
            if ((enabled ? c.enabled() : c.paused()) == value) {
                return false;
            }
            byId.put(id, new Campaign(c.id(), c.name(), c.teamId(), c.callerIdNumber(), c.dialMode(), c.adaptiveRatio(),
                    c.targetAbandonRate(), c.callingHours(), c.retry(), c.voicemailPolicy(), c.voicemailMessage(),
                    c.amdMode(), c.safeHarborMessage(), enabled ? value : c.enabled(), enabled ? reason : c.enabledReason(),
                    enabled ? c.paused() : value, enabled ? c.pausedReason() : reason, c.createdAt(),
                    enabled && value && c.compliance().startedAt() == null
                            ? new Campaign.Compliance(at, c.compliance().amdErrorRate(), c.compliance().pacingNote())
                            : c.compliance()));
            changes.add(new SwitchChange(switchName, value, reason, changedBy, at));
            return true;
        }

        @Override
        void setPacing(UUID id, double ratio, String note) {
            Campaign c = byId.get(id);
            byId.put(id, new Campaign(c.id(), c.name(), c.teamId(), c.callerIdNumber(), c.dialMode(), ratio,
                    c.targetAbandonRate(), c.callingHours(), c.retry(), c.voicemailPolicy(), c.voicemailMessage(),
                    c.amdMode(), c.safeHarborMessage(), c.enabled(), c.enabledReason(), c.paused(), c.pausedReason(),
                    c.createdAt(), c.compliance().withPacingNote(note)));
        }
    }

    static final class Leads extends LeadRepository {
        final Map<UUID, Lead> byId = new LinkedHashMap<>();

        Leads() {
            super(null);
        }

        Lead add(UUID campaignId, String e164, Instant at) {
            Lead lead = new Lead(UUID.randomUUID(), campaignId, e164, null, null, null, "NEW", 0, null, null, null, at);
            byId.put(lead.id(), lead);
            return lead;
        }

        Lead get(UUID id) {
            return byId.get(id);
        }

        private void update(UUID id, Function<Lead, Lead> change) {
            byId.computeIfPresent(id, (k, l) -> change.apply(l));
        }

        @Override
        List<Lead> due(UUID campaignId, Instant now, int limit) {
            return byId.values().stream().filter(l -> l.campaignId().equals(campaignId))
                    .filter(l -> l.status().equals("NEW") || l.status().equals("RETRY"))
                    .filter(l -> l.nextAttemptAt() == null || !l.nextAttemptAt().isAfter(now))
                    .sorted(Comparator.comparing(Lead::createdAt)).limit(limit).toList();
        }

        @Override
        boolean markDialing(UUID leadId, Instant at) {
            Lead l = byId.get(leadId);
            if (!l.status().equals("NEW") && !l.status().equals("RETRY")) {
                return false;
            }
            update(leadId, x -> new Lead(x.id(), x.campaignId(), x.e164(), x.name(), x.externalId(), x.timeZone(), "DIALING",
                    x.attempts() + 1, x.lastOutcome(), at, x.nextAttemptAt(), x.createdAt()));
            return true;
        }

        @Override
        void restore(Lead before) {
            if (byId.get(before.id()).status().equals("DIALING")) {
                byId.put(before.id(), before);
            }
        }

        /** Why the dialer closed each lead by itself (null: closed for its outcome, or not closed). */
        final Map<UUID, String> closedReasons = new HashMap<>();

        @Override
        void finish(UUID leadId, Outcome outcome, Instant next) {
            finish(leadId, outcome, next, null);
        }

        @Override
        void finish(UUID leadId, Outcome outcome, Instant next, String closedReason) {
            closedReasons.put(leadId, closedReason);
            update(leadId, x -> new Lead(x.id(), x.campaignId(), x.e164(), x.name(), x.externalId(), x.timeZone(),
                    next == null ? "DONE" : "RETRY", x.attempts(), outcome, x.lastAttemptAt(), next, x.createdAt()));
        }

        /** The list's other columns per lead, as an import would have stored them. */
        final Map<UUID, Map<String, String>> fields = new HashMap<>();

        @Override
        Map<String, String> fields(UUID leadId) {
            return fields.getOrDefault(leadId, Map.of());
        }

        @Override
        void returnToList(UUID leadId, Instant next) {
            if (byId.get(leadId).status().equals("DIALING")) {
                update(leadId, x -> new Lead(x.id(), x.campaignId(), x.e164(), x.name(), x.externalId(), x.timeZone(),
                        x.attempts() <= 1 ? "NEW" : "RETRY", Math.max(0, x.attempts() - 1), x.lastOutcome(),
                        x.lastAttemptAt(), next, x.createdAt()));
            }
        }

        @Override
        void postpone(UUID leadId, Instant until) {
            update(leadId, x -> new Lead(x.id(), x.campaignId(), x.e164(), x.name(), x.externalId(), x.timeZone(),
                    x.status(), x.attempts(), x.lastOutcome(), x.lastAttemptAt(), until, x.createdAt()));
        }

        @Override
        Optional<Lead> find(UUID id) {
            return Optional.ofNullable(byId.get(id));
        }
    }

    static final class Attempts extends AttemptRepository {
        final Map<UUID, Attempt> byId = new LinkedHashMap<>();
        final Map<UUID, List<Event>> log = new LinkedHashMap<>();

        Attempts() {
            super(null);
        }

        @Override
        void insert(Attempt a) {
            if (outage != null) {
                throw outage;
            }
            byId.put(a.id(), a);
        }

        /** Saving these fails as a row the database refuses would (a poisoned event's attempt). */
        final Set<UUID> poisoned = new HashSet<>();
        /** Set: every read and write fails as with the database away. */
        RuntimeException outage;

        @Override
        void save(Attempt a) {
            if (outage != null) {
                throw outage;
            }
            if (poisoned.contains(a.id())) {
                throw new org.springframework.dao.DataIntegrityViolationException("value violates a check constraint");
            }
            byId.put(a.id(), a);
        }

        @Override
        void discard(UUID id) {
            byId.remove(id);
            log.remove(id);
        }

        /** Round trips of a batch's writes, counted. */
        int writeAlls;

        @Override
        void writeAll(List<Write> writes) {
            writeAlls++;
            for (Write w : writes) {
                if (w.changed() != null) {
                    save(w.changed());
                }
                log(w.attemptId(), w.transitions());
            }
        }

        @Override
        void log(UUID attemptId, List<AttemptMachine.Transition> transitions) {
            for (AttemptMachine.Transition t : transitions) {
                log.computeIfAbsent(attemptId, id -> new ArrayList<>()).add(new Event(t.at(),
                        t.from() == null ? null : t.from().name(), t.to().name(), t.event(), t.detail()));
            }
        }

        /** Reads, counted: a batch of webhooks reads its attempts once. */
        int finds;
        int findAlls;

        @Override
        Optional<Attempt> find(UUID id) {
            finds++;
            return Optional.ofNullable(byId.get(id));
        }

        @Override
        List<Attempt> findAll(java.util.Collection<UUID> ids) {
            findAlls++;
            return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
        }

        @Override
        List<Attempt> open(UUID campaignId) {
            return allOpen().stream().filter(a -> a.campaignId().equals(campaignId)).toList();
        }

        @Override
        List<Attempt> allOpen() {
            return byId.values().stream().filter(a -> a.endedAt() == null).toList();
        }

        @Override
        List<Attempt> byLead(UUID leadId) {
            return byId.values().stream().filter(a -> a.leadId().equals(leadId))
                    .sorted(Comparator.comparing(Attempt::createdAt)).toList();
        }

        @Override
        List<Event> events(UUID attemptId) {
            return List.copyOf(log.getOrDefault(attemptId, List.of()));
        }

        @Override
        PacingController.Counts abandonCounts(UUID campaignId, Instant periodStart, Instant rollingStart) {
            long live = byId.values().stream().filter(a -> a.campaignId().equals(campaignId))
                    .filter(a -> AbandonRule.of(a).live()).count();
            long abandoned = byId.values().stream().filter(a -> a.campaignId().equals(campaignId))
                    .filter(a -> AbandonRule.of(a).abandoned()).count();
            return new PacingController.Counts(live, abandoned, live, abandoned);
        }

        @Override
        boolean numberBusy(String e164) {
            return byId.values().stream().anyMatch(a -> a.e164().equals(e164) && a.endedAt() == null);
        }

        List<String> eventNames(UUID attemptId) {
            return events(attemptId).stream().map(Event::event).toList();
        }
    }

    /** One team's agents: who is available, and who is reserved for which attempt. */
    static final class Agents implements TeamAgents {
        final List<UUID> available = new ArrayList<>();
        final Map<UUID, UUID> reservedFor = new LinkedHashMap<>();
        boolean working = true;

        @Override
        public List<UUID> available(UUID teamId) {
            return available.stream().filter(a -> !reservedFor.containsKey(a)).toList();
        }

        @Override
        public boolean anyWorking(UUID teamId) {
            return working;
        }

        @Override
        public int working(UUID teamId) {
            return working ? available.size() : 0;
        }

        @Override
        public boolean tryReserve(UUID agentId, UUID attemptId) {
            return reservedFor.putIfAbsent(agentId, attemptId) == null || attemptId.equals(reservedFor.get(agentId));
        }

        @Override
        public void release(UUID agentId, UUID attemptId) {
            reservedFor.remove(agentId, attemptId);
        }
    }

    static final class NotToCall implements DoNotCall {
        final Set<String> numbers = new HashSet<>();

        @Override
        public boolean contains(String e164) {
            return numbers.contains(e164);
        }

        @Override
        public void add(String e164, String reason) {
            numbers.add(e164);
        }
    }

    /** The carrier: records every command; a dial can be refused. */
    static final class Carrier implements CallControl {
        /** Transfers of these attempts throw as a bug would (not a refusal: that is CallControl.Refused). */
        final Set<UUID> breaksOn = new HashSet<>();
        record Command(String name, String callControlId, UUID attemptId, String text) {
        }

        final List<Dial> dials = new ArrayList<>();
        final List<Command> commands = new ArrayList<>();
        CallControl.Refused refuseDials;
        CallControl.Refused refuseSpeak;
        Optional<Boolean> alive = Optional.of(true);
        private int calls;

        @Override
        public String dial(Dial dial) {
            if (refuseDials != null) {
                throw refuseDials;
            }
            dials.add(dial);
            return "v3:call-" + (++calls);
        }

        @Override
        public void transfer(String callControlId, UUID attemptId) {
            if (breaksOn.contains(attemptId)) {
                throw new IllegalStateException("a bug in the client, not a refusal by the carrier");
            }
            commands.add(new Command("transfer", callControlId, attemptId, null));
        }

        @Override
        public void hangup(String callControlId, UUID attemptId) {
            commands.add(new Command("hangup", callControlId, attemptId, null));
        }

        @Override
        public void speak(String callControlId, UUID attemptId, String text, int take) {
            commands.add(new Command("speak", callControlId, attemptId, text));
            if (refuseSpeak != null) {
                throw refuseSpeak;
            }
        }

        @Override
        public Optional<Boolean> alive(String callControlId) {
            commands.add(new Command("alive?", callControlId, null, null));
            return alive;
        }

        List<String> names(UUID attemptId) {
            return commands.stream().filter(c -> attemptId.equals(c.attemptId())).map(Command::name).toList();
        }
    }

    static final class Inbox implements Webhooks {
        final ConcurrentLinkedQueue<TelnyxEvent> pending = new ConcurrentLinkedQueue<>();
        final List<String> applied = new ArrayList<>();

        @Override
        public List<TelnyxEvent> pending(Instant quietSince, int limit) {
            // Like the real inbox: an event stays pending until applied or set aside.
            return List.copyOf(pending);
        }

        final Map<String, Integer> tries = new HashMap<>();
        final List<String> setAside = new ArrayList<>();

        /** Statements that marked events applied: one per event, or one per batch. */
        int markStatements;

        @Override
        public void markAllApplied(List<TelnyxEvent> events, Instant at) {
            markStatements++;
            events.forEach(event -> {
                applied.add(event.eventId());
                pending.removeIf(e -> e.eventId().equals(event.eventId()));
            });
        }

        @Override
        public void markApplied(TelnyxEvent event, Instant at, String failure) {
            markStatements++;
            applied.add(event.eventId());
            pending.removeIf(e -> e.eventId().equals(event.eventId()));
        }

        /** Like the real inbox: a failed event stays pending until its third try sets it aside. */
        @Override
        public boolean failed(TelnyxEvent event, Instant at, String failure) {
            int n = tries.merge(event.eventId(), 1, Integer::sum);
            if (n >= io.callcenter.dialer.telnyx.TelnyxInbox.MAX_TRIES) {
                setAside.add(event.eventId());
                pending.removeIf(e -> e.eventId().equals(event.eventId()));
                return true;
            }
            return false;
        }
    }
}
