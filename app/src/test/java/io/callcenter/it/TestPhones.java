package io.callcenter.it;

import io.callcenter.testkit.sip.SipPhone;

import java.util.ArrayList;
import java.util.List;

/** Phones of one test: agents registered to Asterisk and the stand-in carrier; closes them all at the end. */
final class TestPhones implements AutoCloseable {

    /** The number the stand-in carrier presents as the caller. */
    static final String CARRIER_CALLER = "+15551230000";

    /** Every demo agent's extension (alice, bob, dave, carol). */
    static final String[] AGENT_EXTENSIONS = {"1001", "1002", "1003", "3001"};
    /** Beyond the two seconds close() allows for hangups and un-REGISTERs to be answered. */
    static final java.time.Duration SETTLE = java.time.Duration.ofSeconds(10);

    private final List<SipPhone> phones = new ArrayList<>();

    /** An agent's phone on its own loopback address, registered with the demo password. */
    SipPhone agent(String extension, String address) {
        SipPhone phone = SipPhone.start(SipPhone.Config.builder()
                .name(extension).bindAddress(address).bindPort(0)
                .server("127.0.0.1", 5060)
                .username(extension).password(TestApp.AGENT_PASSWORD)
                .build());
        phones.add(phone);
        phone.register();
        return phone;
    }

    /** A phone of a user created in the test, with the SIP password the admin API answered once. */
    SipPhone supervisor(String extension, String password, String address) {
        SipPhone phone = SipPhone.start(SipPhone.Config.builder()
                .name(extension).bindAddress(address).bindPort(0)
                .server("127.0.0.1", 5060)
                .username(extension).password(password)
                .build());
        phones.add(phone);
        phone.register();
        return phone;
    }

    /** The carrier: 127.0.0.2:5060 is the address the trunk is identified by (asterisk.sh TRUNK_HOST). */
    SipPhone carrier() {
        return carrier(CARRIER_CALLER);
    }

    /** The carrier presenting another caller's number (one in a time zone, for calling hours). */
    SipPhone carrier(String callerNumber) {
        SipPhone phone = SipPhone.start(SipPhone.Config.builder()
                .name("carrier").bindAddress("127.0.0.2").bindPort(5060)
                .server("127.0.0.1", 5060)
                .username(callerNumber)
                .build());
        phones.add(phone);
        return phone;
    }

    /** The carrier calls the demo number and {@code agent}, who is rung for it, answers. */
    Connected carrierCallAnsweredBy(SipPhone agent, java.time.Duration signal) {
        return carrierCallAnsweredBy(carrier(), agent, signal);
    }

    /** The same from a carrier phone the test holds (it has the carrier's address, so a second call needs it). */
    Connected carrierCallAnsweredBy(SipPhone carrier, SipPhone agent, java.time.Duration signal) {
        io.callcenter.testkit.sip.SipCall caller = carrier.call(TestApp.DEMO_DID);
        io.callcenter.testkit.sip.SipCall atAgent = agent.awaitIncomingCall(signal);
        atAgent.answer();
        caller.awaitAnswered(signal);
        return new Connected(caller, atAgent);
    }

    record Connected(io.callcenter.testkit.sip.SipCall caller, io.callcenter.testkit.sip.SipCall agent) {
    }

    @Override
    public void close() {
        phones.forEach(SipPhone::close);
        phones.clear();
    }
}
