package io.callcenter.dialer;

import io.callcenter.web.ApiProblem;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionOperations;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PREVIEW campaigns on the engine with fakes of our own ports, an in-place lane and a fixed clock: an available
 * agent is held for the next lead and shown it; Skip, a lapsed preview or a call never placed puts the lead back;
 * Dial goes through the guard, the agent's call takes the hold over, and the disposition ends the attempt.
 */
class PreviewTest {

    /** 10:00 in New York, inside the calling hours of the leads' area code. */
    private static final Instant T0 = Instant.parse("2026-11-25T15:00:00Z");

    final DialerFakes.TestClock clock = new DialerFakes.TestClock(T0);
    final DialerFakes.Campaigns campaigns = new DialerFakes.Campaigns();
    final DialerFakes.Leads leads = new DialerFakes.Leads();
    final DialerFakes.Attempts attempts = new DialerFakes.Attempts();
    final DialerFakes.Agents agents = new DialerFakes.Agents();
    final DialerFakes.NotToCall notToCall = new DialerFakes.NotToCall();
    final DialerFakes.Carrier carrier = new DialerFakes.Carrier();
    final List<Object> pushed = new ArrayList<>();
    final AgentOffers offers = new AgentOffers(agents, pushed::add);
    final DialerProperties properties = new DialerProperties(true, null, null, null, null, null, null, null, null, null, null);
    final DialerEngine engine = new DialerEngine(campaigns, leads, attempts, agents, notToCall, carrier, true,
            Duration.ofSeconds(25), new DialerFakes.Inbox(), TransactionOperations.withoutTransaction(), clock,
            Runnable::run, Runnable::run, properties, offers);
    final DialerService service = new DialerService(engine, attempts, leads, notToCall, clock);
    final UUID alice = UUID.randomUUID();
    final Campaign campaign = new Campaign(UUID.randomUUID(), "Preview", UUID.randomUUID(), "+15550100", DialMode.PREVIEW,
            1.0, 0.03, CallingHours.DEFAULT, RetryRules.DEFAULT, Campaign.VoicemailPolicy.HANGUP, "vm", "premium", "sh",
            true, "on", false, null, T0, new Campaign.Compliance(T0, 0.01, null));
    Lead ann;
    Lead bob;

    {
        agents.available.add(alice);
        campaigns.insert(campaign);
        ann = leads.add(campaign.id(), "+12125550101", T0);
        bob = leads.add(campaign.id(), "+12125550102", T0.plusSeconds(1));
        leads.fields.put(ann.id(), java.util.Map.of("notes", "prefers mornings"));
    }

    AgentOffer lastPushed() {
        return ((AgentOffer.Changed) pushed.getLast()).offer();
    }

    Attempt attempt(UUID id) {
        return attempts.find(id).orElseThrow();
    }

    @Test
    void an_available_agent_is_held_for_the_next_lead_and_shown_it_and_nothing_is_dialled() {
        engine.tick();
        AgentOffer offer = lastPushed();
        assertThat(offer.kind()).isEqualTo("PREVIEW");
        assertThat(offer.leadId()).as("oldest due lead first").isEqualTo(ann.id());
        assertThat(offer.number()).isEqualTo("+12125550101");
        assertThat(offer.expiresAt()).isEqualTo(T0.plus(AttemptTimeouts.PREVIEW));
        assertThat(offer.fields()).as("the list's own columns").containsEntry("notes", "prefers mornings");
        assertThat(carrier.dials).as("the campaign dials nothing itself").isEmpty();
        assertThat(agents.reservedFor).as("held: no queue or inbound call takes her").containsEntry(alice, offer.id());
        assertThat(attempt(offer.id()).state()).isEqualTo(AttemptState.PREVIEWING);
        assertThat(attempts.events(offer.id())).singleElement().satisfies(e -> assertThat(e.to()).isEqualTo("PREVIEWING"));
        assertThat(offers.current(alice)).contains(offer);

        engine.tick();
        assertThat(pushed).as("one offer per agent").hasSize(1);
        assertThat(leads.get(bob.id()).status()).isEqualTo("NEW");
    }

    @Test
    void skip_puts_the_lead_back_with_the_reason_logged_and_the_next_lead_is_offered() {
        engine.tick();
        UUID first = lastPushed().id();
        engine.previews().skip(alice, first, "asked not to be called before noon", clock.instant());

        assertThat(attempt(first).state()).isEqualTo(AttemptState.ENDED);
        assertThat(attempt(first).outcome()).as("nobody was dialled").isNull();
        assertThat(attempts.events(first)).last().satisfies(e -> {
            assertThat(e.event()).isEqualTo("skipped");
            assertThat(e.detail()).isEqualTo("asked not to be called before noon");
        });
        Lead back = leads.get(ann.id());
        assertThat(back.status()).isEqualTo("NEW");
        assertThat(back.attempts()).as("a skip is no attempt at the person").isZero();
        assertThat(back.nextAttemptAt()).isEqualTo(T0.plus(Previews.RETURNED_LEAD_WAIT));
        engine.tick();
        assertThat(pushed).as("the card left her page").extracting(e -> ((AgentOffer.Changed) e).offer() == null)
                .containsExactly(false, true, false);
        AgentOffer next = lastPushed();
        assertThat(next.leadId()).as("freed, she is offered the next lead at once").isEqualTo(bob.id());
        assertThat(agents.reservedFor).containsEntry(alice, next.id());
    }

    @Test
    void dial_hands_the_hold_to_her_call_and_her_disposition_ends_the_attempt() {
        engine.tick();
        UUID offer = lastPushed().id();
        assertThat(service.offeredCall(alice, ann.id().toString())).as("no call under the hold before Dial").isEmpty();

        engine.previews().dial(alice, offer, clock.instant());
        assertThat(attempt(offer).state()).isEqualTo(AttemptState.PLACED);
        assertThat(service.offeredCall(alice, bob.id().toString())).as("another lead's call is not this offer's").isEmpty();
        assertThat(service.offeredCall(alice, ann.id().toString())).as("the call's id is the attempt's").contains(offer);
        assertThat(agents.reservedFor).as("the call holds her now, under the same id").containsEntry(alice, offer);
        assertThat(attempt(offer).callId()).isEqualTo(offer);
        assertThat(offers.current(alice)).isEmpty();

        service.dispositionGiven(offer, "NOT_INTERESTED");
        assertThat(attempt(offer).state()).isEqualTo(AttemptState.ENDED);
        assertThat(attempt(offer).outcome()).isEqualTo(Outcome.NOT_INTERESTED);
        assertThat(leads.get(ann.id()).status()).isEqualTo("DONE");
        assertThat(leads.get(ann.id()).attempts()).isEqualTo(1);
        assertThat(agents.reservedFor).as("her call, not the dialer, frees her").containsEntry(alice, offer);
        assertThat(attempts.eventNames(offer)).containsExactly("offered", "agent dials", "call placed", "disposition");
    }

    @Test
    void dial_refused_by_the_do_not_call_list_closes_the_lead_and_frees_the_agent() {
        engine.tick();
        UUID offer = lastPushed().id();
        notToCall.numbers.add("+12125550101");
        assertThatThrownBy(() -> engine.previews().dial(alice, offer, clock.instant()))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status().value()).isEqualTo(409));
        assertThat(attempt(offer).outcome()).isEqualTo(Outcome.DO_NOT_CALL);
        assertThat(leads.get(ann.id()).status()).isEqualTo("DONE");
        assertThat(agents.reservedFor).doesNotContainEntry(alice, offer);
    }

    @Test
    void dial_outside_calling_hours_is_refused_and_the_lead_goes_back() {
        engine.tick();
        UUID offer = lastPushed().id();
        clock.advance(Duration.ofHours(12));
        assertThatThrownBy(() -> engine.previews().dial(alice, offer, clock.instant()))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status().value()).isEqualTo(409));
        assertThat(leads.get(ann.id()).status()).isEqualTo("NEW");
        assertThat(attempts.eventNames(offer)).last().isEqualTo("outside calling hours");
    }

    @Test
    void a_preview_nobody_decides_on_lapses_the_lead_goes_back_and_the_agent_is_freed() {
        engine.tick();
        UUID offer = lastPushed().id();
        clock.advance(AttemptTimeouts.PREVIEW.minusSeconds(1));
        engine.tick();
        assertThat(attempt(offer).state()).isEqualTo(AttemptState.PREVIEWING);
        clock.advance(Duration.ofSeconds(1));
        engine.tick();
        assertThat(attempt(offer).state()).isEqualTo(AttemptState.ENDED);
        assertThat(attempts.eventNames(offer)).last().isEqualTo("preview timed out");
        assertThat(leads.get(ann.id()).status()).isEqualTo("NEW");
        assertThat(lastPushed().leadId()).as("the same tick offers her the next lead").isEqualTo(bob.id());
    }

    @Test
    void a_dial_whose_call_is_never_placed_frees_the_agent() {
        engine.tick();
        UUID offer = lastPushed().id();
        engine.previews().dial(alice, offer, clock.instant());
        clock.advance(AttemptTimeouts.PREVIEW.multipliedBy(2));
        agents.available.remove(alice);
        engine.tick();
        assertThat(attempts.eventNames(offer)).last().isEqualTo("call never placed");
        assertThat(agents.reservedFor).isEmpty();
        assertThat(leads.get(ann.id()).status()).isEqualTo("NEW");
    }

    @Test
    void another_agents_preview_is_not_found_and_a_settled_one_is_a_conflict() {
        engine.tick();
        UUID offer = lastPushed().id();
        assertThatThrownBy(() -> engine.previews().skip(UUID.randomUUID(), offer, null, clock.instant()))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status().value()).isEqualTo(404));
        engine.previews().skip(alice, offer, null, clock.instant());
        assertThatThrownBy(() -> engine.previews().dial(alice, offer, clock.instant()))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status().value()).isEqualTo(409));
        engine.tick();
        UUID next = lastPushed().id();
        assertThatThrownBy(() -> engine.previews().skip(alice, next, "x".repeat(201), clock.instant()))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status().value()).isEqualTo(400));
    }

    @Test
    void preview_needs_no_confirmation_and_a_callback_offer_holds_its_agent_until_it_lapses() {
        assertThat(EnableWarning.needsConfirmation(DialMode.PREVIEW)).isFalse();
        assertThat(DialMode.fromCode("PREVIEW").agentDials()).isTrue();
        UUID callback = UUID.randomUUID();
        AgentOffer card = new AgentOffer("CALLBACK", callback, campaign.id(), "Preview", ann.id(), null, ann.e164(), null,
                "America/New_York", java.util.Map.of(), List.of(), T0.plus(AttemptTimeouts.PREVIEW));
        assertThat(offers.hold(alice, card, T0)).isTrue();
        assertThat(offers.hold(alice, card, T0)).as("one offer per agent").isFalse();
        offers.expireCallbacks(T0.plus(AttemptTimeouts.PREVIEW).minusMillis(1), AttemptTimeouts.PREVIEW);
        assertThat(agents.reservedFor).containsEntry(alice, callback);
        offers.expireCallbacks(T0.plus(AttemptTimeouts.PREVIEW), AttemptTimeouts.PREVIEW);
        assertThat(agents.reservedFor).isEmpty();
        assertThat(offers.current(alice)).isEqualTo(Optional.empty());
    }
}
