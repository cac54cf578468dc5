package io.callcenter.it;

import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Toll fraud through a desk phone: the phone dials on its own, past the app's dialpad, so the app refuses a second
 * outbound call while the phone's agent is on a call; the first call keeps its audio.
 */
class DeskPhoneGuardIT {

    private static final Duration SIGNAL = Duration.ofSeconds(10);
    private static final Duration AUDIO = Duration.ofSeconds(5);

    @Test
    void a_desk_phone_dialling_out_while_its_agent_is_on_a_call_is_refused_and_nothing_leaves_the_trunk() {
        try (TestApp app = TestApp.start(TestDatabase.get().newDatabase(), TestAsterisk.get(), Map.of());
             TestPhones phones = new TestPhones()) {
            refusedWhileOnACall(app, phones);
        }
    }

    private static void refusedWhileOnACall(TestApp app, TestPhones phones) {
        CallRecords records = new CallRecords(app);
        // dave's desk phone is the team's only registered phone, so the customer's call reaches him.
        SipPhone dave = phones.agent("1003", "127.0.0.5");
        app.awaitAgentState("dave", "AVAILABLE", SIGNAL);
        SipPhone carrier = phones.carrier();
        SipCall customer = carrier.call(TestApp.DEMO_DID);
        SipCall atDave = dave.awaitIncomingCall(SIGNAL);
        atDave.answer();
        customer.awaitAnswered(SIGNAL);
        String firstId = records.awaitLatest(c -> "TALKING".equals(c.path("state").asString()), SIGNAL, "TALKING")
                .path("id").asString();

        SipCall second = dave.call("+15557654321");
        second.awaitEnded(Duration.ofSeconds(20));
        JsonNode refused = records.awaitLatest(c -> !c.path("id").asString().equals(firstId) && CallRecords.ended(c),
                SIGNAL, "the second call refused");
        assertThat(refused.path("direction").asString()).isEqualTo("outbound");
        assertThat(refused.path("hangupCause").asString()).isEqualTo("agent_busy");
        assertThat(carrier.hasIncomingCall()).as("no second call reached the carrier").isFalse();

        customer.playTone(440.0);
        atDave.playTone(1100.0);
        assertThat(atDave.awaitHearing(440.0, AUDIO)).as("dave still hears the customer").isTrue();
        assertThat(customer.awaitHearing(1100.0, AUDIO)).as("the customer still hears dave").isTrue();
        customer.hangup();
        atDave.awaitEnded(SIGNAL);
        assertThat(app.awaitOffCall("dave", SIGNAL)).as("no reservation left behind").isNotEqualTo("ON_CALL");
    }
}
