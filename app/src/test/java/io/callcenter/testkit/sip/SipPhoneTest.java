package io.callcenter.testkit.sip;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Phones talking to each other directly (no Asterisk), and to a raw UDP socket scripting the other side. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SipPhoneTest {

    private static final Duration SIGNAL = Duration.ofSeconds(3);
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable r : resources.reversed()) {
            r.close();
        }
    }

    @Test
    void call_is_answered_audio_flows_both_ways_and_caller_hangs_up() {
        SipPhone bob = phone("bob", "127.0.0.3", null);
        SipPhone alice = phone("alice", "127.0.0.2", bob);

        SipCall out = alice.call("bob");
        SipCall in = bob.awaitIncomingCall(SIGNAL);
        assertThat(in.fromUser()).isEqualTo("alice");
        assertThat(in.header("f")).contains("\"Agent alice\"");
        assertThat(in.requestUri()).isEqualTo("sip:bob@127.0.0.3:" + bob.localPort());
        assertThat(in.state()).isEqualTo(SipCall.State.INCOMING);

        in.ringing();
        out.awaitRinging(SIGNAL);
        assertThat(out.state()).isEqualTo(SipCall.State.RINGING);
        in.answer();
        out.awaitAnswered(SIGNAL);
        in.awaitAnswered(SIGNAL);
        assertThat(out.finalStatus()).isEqualTo(200);

        out.playTone(440);
        in.playTone(700);
        assertThat(in.awaitHearing(440, SIGNAL)).as("bob hears alice").isTrue();
        assertThat(out.awaitHearing(700, SIGNAL)).as("alice hears bob").isTrue();
        assertThat(in.hears(700)).as("bob does not hear himself").isFalse();
        assertThat(out.hears(440)).as("alice does not hear herself").isFalse();
        AudioStats stats = out.audioStats();
        assertThat(stats.packetsSent()).isPositive();
        assertThat(stats.audioPacketsReceived()).isPositive();
        assertThat(stats.firstReceived()).isBeforeOrEqualTo(stats.lastReceived());

        out.hangup();
        in.awaitEnded(SIGNAL);
        assertThat(out.endReason()).isEqualTo(SipCall.EndReason.LOCAL_BYE);
        assertThat(in.endReason()).isEqualTo(SipCall.EndReason.REMOTE_BYE);
        assertThat(in.finalStatus()).isEqualTo(200);
    }

    @Test
    void callee_hangs_up_and_silence_is_silence() {
        SipPhone bob = phone("bob", "127.0.0.3", null);
        SipPhone alice = phone("alice", "127.0.0.2", bob);
        SipCall out = alice.call("bob");
        SipCall in = bob.awaitIncomingCall(SIGNAL);
        in.answer();
        out.awaitAnswered(SIGNAL);
        assertThat(out.awaitHearing(700, Duration.ofMillis(600))).as("nothing played yet").isFalse();
        short[] heard = out.receivedAudio(Duration.ofMillis(300));
        assertThat(heard).as("silence frames arrive").isNotEmpty().containsOnly((short) 0);

        in.hangup();
        out.awaitEnded(SIGNAL);

        assertThat(out.endReason()).isEqualTo(SipCall.EndReason.REMOTE_BYE);
        assertThat(in.endReason()).isEqualTo(SipCall.EndReason.LOCAL_BYE);
    }

    @Test
    void ringing_call_is_cancelled_by_the_caller() {
        SipPhone bob = phone("bob", "127.0.0.3", null);
        SipPhone alice = phone("alice", "127.0.0.2", bob);
        SipCall out = alice.call("bob");
        SipCall in = bob.awaitIncomingCall(SIGNAL);
        in.ringing();
        out.awaitRinging(SIGNAL);

        out.hangup();
        in.awaitEnded(SIGNAL);

        assertThat(in.endReason()).isEqualTo(SipCall.EndReason.REMOTE_CANCEL);
        assertThat(out.endReason()).isEqualTo(SipCall.EndReason.LOCAL_CANCEL);
        awaitTrue(() -> out.finalStatus() == 487, "487 reaches the caller");
        assertThat(bob.hasIncomingCall()).isFalse();
        assertThatThrownBy(() -> out.awaitAnswered(SIGNAL)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("can no longer become answered");
    }

    @Test
    void busy_callee_gives_486() {
        SipPhone bob = phone("bob", "127.0.0.3", null);
        SipPhone alice = phone("alice", "127.0.0.2", bob);
        SipCall out = alice.call("bob");

        bob.awaitIncomingCall(SIGNAL).reject(486);
        out.awaitEnded(SIGNAL);

        assertThat(out.finalStatus()).isEqualTo(486);
        assertThat(out.endReason()).isEqualTo(SipCall.EndReason.REJECTED);
        assertThat(out.header("To")).contains("tag=");
    }

    @Test
    void dtmf_travels_as_telephone_events() {
        SipPhone bob = phone("bob", "127.0.0.3", null);
        SipPhone alice = phone("alice", "127.0.0.2", bob);
        SipCall out = alice.call("bob");
        SipCall in = bob.awaitIncomingCall(SIGNAL);
        in.answer();
        out.awaitAnswered(SIGNAL);

        out.sendDtmf("5#");

        awaitTrue(() -> in.receivedDtmf().equals("5#"), "bob receives 5#");
        assertThat(in.audioStats().eventPacketsReceived()).isGreaterThan(0);
    }

    @Test
    void waiting_in_vain_explains_itself_with_the_sip_trace() {
        SipPhone bob = phone("bob", "127.0.0.3", null);
        SipPhone alice = phone("alice", "127.0.0.2", bob);
        alice.call("bob").hangup();

        assertThatThrownBy(() -> alice.awaitIncomingCall(Duration.ofMillis(200)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("alice: no incoming call within 200ms; last SIP messages:")
                .hasMessageContaining("INVITE sip:bob@127.0.0.3");
    }

    @Test
    void unanswered_invite_is_retransmitted_then_fails_with_408() throws Exception {
        RawPeer peer = raw("127.0.0.3");
        SipPhone alice = resource(SipPhone.start(SipPhone.Config.builder().name("alice").bindAddress("127.0.0.2")
                .server("127.0.0.3", peer.port()).username("alice").transactionTimeout(Duration.ofMillis(1200)).build()));

        SipCall out = alice.call("nobody");
        Received first = peer.receive(m -> "INVITE".equals(m.method()));
        Received again = peer.receive(m -> "INVITE".equals(m.method()));

        assertThat(again.message().branch()).isEqualTo(first.message().branch());
        assertThat(again.at() - first.at()).isBetween(350_000_000L, 900_000_000L);
        out.awaitEnded(SIGNAL);
        assertThat(out.endReason()).isEqualTo(SipCall.EndReason.FAILED);
        assertThat(out.finalStatus()).isEqualTo(408);
    }

    @Test
    void duplicated_invite_is_one_call_and_reinvite_moves_the_media() throws Exception {
        SipPhone bob = phone("bob", "127.0.0.3", null);
        RawPeer carrier = raw("127.0.0.2");
        RawPeer rtpA = raw("127.0.0.2");
        RawPeer rtpB = raw("127.0.0.2");
        String invite = rawInvite(carrier, bob, "z9hG4bKdup1", 1, null, rtpA.port());
        InetSocketAddress bobAddress = new InetSocketAddress("127.0.0.3", bob.localPort());

        carrier.send(invite, bobAddress);
        carrier.send(invite, bobAddress);

        SipCall in = bob.awaitIncomingCall(SIGNAL);
        assertThat(carrier.receive(m -> m.status() == 100).message().headerValues("Via")).hasSize(2);
        assertThat(carrier.receive(m -> m.status() == 100).message().branch()).isEqualTo("z9hG4bKdup1");
        Thread.sleep(100);
        assertThat(bob.hasIncomingCall()).as("the retransmission is not a second call").isFalse();
        assertThat(bob.calls()).hasSize(1);
        assertThat(in.fromUser()).isEqualTo("+15551230000");
        assertThat(in.header("P-Asserted-Identity")).isEqualTo("<sip:+15551230000@127.0.0.2>");

        in.answer();
        SipMessage ok = carrier.receive(m -> m.status() == 200).message();
        assertThat(ok.bodyText()).contains("RTP/AVP 0 101", "a=sendrecv");
        String toTag = ok.toTag();
        carrier.send(rawAck(carrier, bob, "z9hG4bKack1", 1, toTag), bobAddress);
        assertThat(rtpA.receiveRtp()).as("RTP goes to the offered address").isNotNull();

        carrier.send(rawInvite(carrier, bob, "z9hG4bKreinv", 2, toTag, rtpB.port()), bobAddress);
        assertThat(carrier.receive(m -> m.status() == 200 && m.cseq() == 2).message().bodyText()).contains("m=audio");
        carrier.send(rawAck(carrier, bob, "z9hG4bKack2", 2, toTag), bobAddress);
        assertThat(rtpB.receiveRtp()).as("after the re-INVITE RTP goes to the new address").isNotNull();

        carrier.send(crlf("""
                OPTIONS sip:bob@127.0.0.3 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.2:%d;branch=z9hG4bKopt;rport
                From: <sip:qualify@127.0.0.2>;tag=q1
                To: <sip:bob@127.0.0.3>
                Call-ID: qualify-1
                CSeq: 1 OPTIONS
                Max-Forwards: 70
                Content-Length: 0

                """.formatted(carrier.port())), bobAddress);
        assertThat(carrier.receive(m -> "OPTIONS".equals(m.cseqMethod())).message().status()).isEqualTo(200);

        carrier.send(crlf("""
                BYE sip:bob@127.0.0.3 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.2:%d;branch=z9hG4bKbye;rport
                From: <sip:+15551230000@127.0.0.2>;tag=rawtag
                To: <sip:bob@127.0.0.3>;tag=%s
                Call-ID: dup-call-1
                CSeq: 3 BYE
                Max-Forwards: 70
                Content-Length: 0

                """.formatted(carrier.port(), toTag)), bobAddress);
        assertThat(carrier.receive(m -> "BYE".equals(m.cseqMethod())).message().status()).isEqualTo(200);
        in.awaitEnded(SIGNAL);
        assertThat(in.endReason()).isEqualTo(SipCall.EndReason.REMOTE_BYE);
    }

    @Test
    void registers_with_digest_auth_and_unregisters() throws Exception {
        RawPeer registrar = raw("127.0.0.2");
        SipPhone agent = resource(SipPhone.start(SipPhone.Config.builder().name("1001").bindAddress("127.0.0.3")
                .server("127.0.0.2", registrar.port()).username("1001").password("secret").build()));

        CompletableFuture<Void> registering = CompletableFuture.runAsync(agent::register);
        Received first = registrar.receive(m -> "REGISTER".equals(m.method()));
        registrar.reply(first, 401, "WWW-Authenticate: Digest realm=\"asterisk\",nonce=\"n0nce\",opaque=\"op\",algorithm=MD5,qop=\"auth\"");
        Received second = registrar.receive(m -> "REGISTER".equals(m.method()) && m.cseq() > first.message().cseq());
        String auth = second.message().header("Authorization");
        var params = DigestAuth.parseParams(auth.substring("Digest".length()));
        var challenge = DigestAuth.Challenge.parse("Digest realm=\"asterisk\",nonce=\"n0nce\",qop=\"auth\"");
        String expected = DigestAuth.response(challenge, "1001", "secret", "REGISTER", params.get("uri"),
                params.get("nc"), params.get("cnonce"));
        assertThat(params.get("response")).isEqualTo(expected);
        assertThat(params).containsEntry("username", "1001").containsEntry("opaque", "op").containsEntry("qop", "auth");
        assertThat(second.message().callId()).isEqualTo(first.message().callId());
        assertThat(second.message().branch()).isNotEqualTo(first.message().branch());
        assertThat(second.message().header("Contact")).contains("sip:1001@127.0.0.3:" + agent.localPort());
        registrar.reply(second, 200, "Contact: <sip:1001@127.0.0.3:" + agent.localPort() + ">;expires=60");
        registering.get(3, TimeUnit.SECONDS);
        assertThat(agent.isRegistered()).isTrue();

        CompletableFuture<Void> unregistering = CompletableFuture.runAsync(agent::unregister);
        Received removal = registrar.receive(m -> "REGISTER".equals(m.method()));
        assertThat(removal.message().header("Expires")).isEqualTo("0");
        registrar.reply(removal, 200);
        unregistering.get(3, TimeUnit.SECONDS);
        assertThat(agent.isRegistered()).isFalse();
    }

    @Test
    void rejected_registration_throws_with_the_status() throws Exception {
        RawPeer registrar = raw("127.0.0.2");
        SipPhone agent = resource(SipPhone.start(SipPhone.Config.builder().name("1001").bindAddress("127.0.0.3")
                .server("127.0.0.2", registrar.port()).username("1001").password("wrong").build()));

        CompletableFuture<Void> registering = CompletableFuture.runAsync(agent::register);
        String challenge = "WWW-Authenticate: Digest realm=\"asterisk\",nonce=\"n1\"";
        registrar.reply(registrar.receive(m -> "REGISTER".equals(m.method())), 401, challenge);
        registrar.reply(registrar.receive(m -> "REGISTER".equals(m.method()) && m.header("Authorization") != null),
                401, challenge);

        assertThatThrownBy(() -> registering.join()).cause().isInstanceOf(SipException.class)
                .hasMessageContaining("REGISTER failed with 401")
                .satisfies(e -> assertThat(((SipException) e).status()).isEqualTo(401));
    }

    @Test
    void invite_challenged_by_a_proxy_is_resent_with_credentials_and_a_repeated_200_is_acked_again() throws Exception {
        RawPeer proxy = raw("127.0.0.2");
        RawPeer media = raw("127.0.0.2");
        SipPhone agent = resource(SipPhone.start(SipPhone.Config.builder().name("1001").bindAddress("127.0.0.3")
                .server("127.0.0.2", proxy.port()).username("1001").password("secret").build()));

        SipCall out = agent.call("+15557654321");
        Received first = proxy.receive(m -> "INVITE".equals(m.method()));
        assertThat(first.message().requestUri()).isEqualTo("sip:+15557654321@127.0.0.2:" + proxy.port());
        proxy.reply(first, 407, "Proxy-Authenticate: Digest realm=\"asterisk\",nonce=\"abc\"");
        Received ack = proxy.receive(m -> "ACK".equals(m.method()));
        assertThat(ack.message().branch()).as("ACK of a failure is in the INVITE transaction").isEqualTo(first.message().branch());
        Received second = proxy.receive(m -> "INVITE".equals(m.method()) && m.cseq() == 2);
        var params = DigestAuth.parseParams(second.message().header("Proxy-Authorization").substring(6));
        var challenge = DigestAuth.Challenge.parse("Digest realm=\"asterisk\",nonce=\"abc\"");
        assertThat(params.get("response")).isEqualTo(DigestAuth.response(challenge, "1001", "secret", "INVITE",
                "sip:+15557654321@127.0.0.2:" + proxy.port(), null, null));
        assertThat(second.message().fromTag()).isEqualTo(first.message().fromTag());

        proxy.reply(second, 180);
        out.awaitRinging(SIGNAL);
        String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\nm=audio " + media.port()
                + " RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n";
        proxy.replyWithBody(second, 200, sdp, "Contact: <sip:127.0.0.2:" + proxy.port() + ">");
        Received ack2xx = proxy.receive(m -> "ACK".equals(m.method()) && m.cseq() == 2);
        assertThat(ack2xx.message().branch()).as("ACK of a 2xx is a new transaction").isNotEqualTo(second.message().branch());
        out.awaitAnswered(SIGNAL);
        byte[] rtp = media.receiveRtp();
        assertThat(rtp).hasSize(172);
        assertThat(rtp[1] & 0x7F).isEqualTo(0);

        proxy.replyWithBody(second, 200, sdp, "Contact: <sip:127.0.0.2:" + proxy.port() + ">");
        assertThat(proxy.receive(m -> "ACK".equals(m.method()) && m.cseq() == 2).message().branch())
                .isEqualTo(ack2xx.message().branch());

        out.hangup();
        Received bye = proxy.receive(m -> "BYE".equals(m.method()));
        assertThat(bye.message().requestUri()).isEqualTo("sip:127.0.0.2:" + proxy.port());
        assertThat(bye.message().cseq()).isEqualTo(3);
        proxy.reply(bye, 200);
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private SipPhone phone(String user, String address, SipPhone server) {
        SipPhone.Config.Builder config = SipPhone.Config.builder().name(user).bindAddress(address).bindPort(0)
                .username(user).displayName("Agent " + user);
        if (server != null) {
            config.server(server.localAddress().getAddress().getHostAddress(), server.localPort());
        }
        return resource(SipPhone.start(config.build()));
    }

    private RawPeer raw(String address) throws IOException {
        return resource(new RawPeer(address));
    }

    private <T extends AutoCloseable> T resource(T r) {
        resources.add(r);
        return r;
    }

    private static String crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    private static String rawInvite(RawPeer from, SipPhone to, String branch, int cseq, String toTag, int rtpPort) {
        String sdp = crlf("""
                v=0
                o=- 7 %d IN IP4 127.0.0.2
                s=carrier
                c=IN IP4 127.0.0.2
                t=0 0
                m=audio %d RTP/AVP 8 0 101
                a=rtpmap:8 PCMA/8000
                a=rtpmap:0 PCMU/8000
                a=rtpmap:101 telephone-event/8000
                a=fmtp:101 0-16
                a=sendrecv
                """.formatted(cseq, rtpPort));
        // Compact header forms and a second Via, as a proxy in front of the caller would add.
        return crlf("""
                INVITE sip:bob@127.0.0.3:%d SIP/2.0
                v: SIP/2.0/UDP 127.0.0.2:%d;branch=%s;rport
                Via: SIP/2.0/UDP 10.9.9.9:5060;branch=z9hG4bKupstream
                Max-Forwards: 70
                f: "Carrier" <sip:+15551230000@127.0.0.2>;tag=rawtag
                t: <sip:bob@127.0.0.3>%s
                i: dup-call-1
                CSeq: %d INVITE
                m: <sip:carrier@127.0.0.2:%d>
                P-Asserted-Identity: <sip:+15551230000@127.0.0.2>
                c: application/sdp
                l: %d

                """.formatted(to.localPort(), from.port(), branch, toTag == null ? "" : ";tag=" + toTag, cseq,
                from.port(), sdp.length())) + sdp;
    }

    private static String rawAck(RawPeer from, SipPhone to, String branch, int cseq, String toTag) {
        return crlf("""
                ACK sip:bob@127.0.0.3:%d SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.2:%d;branch=%s;rport
                Max-Forwards: 70
                From: "Carrier" <sip:+15551230000@127.0.0.2>;tag=rawtag
                To: <sip:bob@127.0.0.3>;tag=%s
                Call-ID: dup-call-1
                CSeq: %d ACK
                Content-Length: 0

                """.formatted(to.localPort(), from.port(), branch, toTag, cseq));
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + SIGNAL.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    record Received(SipMessage message, InetSocketAddress from, long at) {
    }

    /** A bare UDP socket that scripts the far end of a SIP exchange. */
    static final class RawPeer implements AutoCloseable {
        private final DatagramSocket socket;

        RawPeer(String address) throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(address, 0));
            socket.setSoTimeout(3000);
        }

        int port() {
            return socket.getLocalPort();
        }

        void send(String text, InetSocketAddress to) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, to));
        }

        Received receive(Predicate<SipMessage> wanted) throws IOException {
            long deadline = System.currentTimeMillis() + 3000;
            byte[] buffer = new byte[65535];
            while (System.currentTimeMillis() < deadline) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                SipMessage m = SipMessage.parse(java.util.Arrays.copyOf(buffer, packet.getLength()), packet.getLength());
                if (wanted.test(m)) {
                    return new Received(m, (InetSocketAddress) packet.getSocketAddress(), System.nanoTime());
                }
            }
            throw new AssertionError("expected SIP message not received");
        }

        byte[] receiveRtp() throws IOException {
            byte[] buffer = new byte[2048];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return null;
            }
            return java.util.Arrays.copyOf(buffer, packet.getLength());
        }

        void reply(Received request, int status, String... headers) throws IOException {
            replyWithBody(request, status, null, headers);
        }

        void replyWithBody(Received request, int status, String sdp, String... headers) throws IOException {
            SipMessage r = request.message();
            StringBuilder sb = new StringBuilder("SIP/2.0 " + status + " " + SipMessage.reasonPhrase(status) + "\r\n");
            for (String via : r.rawHeaders("Via")) {
                sb.append("Via: ").append(via).append("\r\n");
            }
            String to = r.header("To");
            sb.append("From: ").append(r.header("From")).append("\r\n");
            sb.append("To: ").append(to).append(to.contains("tag=") || status == 100 ? "" : ";tag=rawpeer").append("\r\n");
            sb.append("Call-ID: ").append(r.callId()).append("\r\n");
            sb.append("CSeq: ").append(r.header("CSeq")).append("\r\n");
            for (String h : headers) {
                sb.append(h).append("\r\n");
            }
            if (sdp != null) {
                sb.append("Content-Type: application/sdp\r\n");
            }
            sb.append("Content-Length: ").append(sdp == null ? 0 : sdp.length()).append("\r\n\r\n");
            if (sdp != null) {
                sb.append(sdp);
            }
            send(sb.toString(), request.from());
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
