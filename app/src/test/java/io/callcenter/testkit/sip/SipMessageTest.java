package io.callcenter.testkit.sip;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SipMessageTest {

    @Test
    void parses_compact_forms_multiple_vias_folding_and_any_case() {
        String text = """
                SIP/2.0 200 OK
                v: SIP/2.0/UDP 127.0.0.3:5062;branch=z9hG4bKtop;rport=5062;received=127.0.0.3
                VIA: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKmid, SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKlow
                f: "Alice, the agent" <sip:1001@127.0.0.1>;tag=abc
                t: <sip:1002@127.0.0.1>;tag=xyz
                i: call-1@127.0.0.3
                cseq: 7
                 INVITE
                m: <sip:1002@127.0.0.4:5070;transport=udp>;expires=60
                Record-Route: <sip:p1;lr>, <sip:p2;lr>
                c: application/sdp
                l: 4

                v=0
                trailing-garbage""".replace("\n", "\r\n");
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

        SipMessage m = SipMessage.parse(bytes, bytes.length);

        assertThat(m.isRequest()).isFalse();
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.headerValues("Via")).hasSize(3);
        assertThat(m.branch()).isEqualTo("z9hG4bKtop");
        assertThat(m.callId()).isEqualTo("call-1@127.0.0.3");
        assertThat(m.header("call-id")).isEqualTo("call-1@127.0.0.3");
        assertThat(m.cseq()).isEqualTo(7);
        assertThat(m.cseqMethod()).isEqualTo("INVITE");
        assertThat(m.fromTag()).isEqualTo("abc");
        assertThat(m.toTag()).isEqualTo("xyz");
        assertThat(m.headerValues("Record-Route")).containsExactly("<sip:p1;lr>", "<sip:p2;lr>");
        assertThat(m.header("Contact")).isEqualTo("<sip:1002@127.0.0.4:5070;transport=udp>;expires=60");
        assertThat(SipMessage.param(m.header("Contact"), "expires")).isEqualTo("60");
        assertThat(m.bodyText()).isEqualTo("v=0\r");
    }

    @Test
    void uri_helpers() {
        assertThat(SipMessage.uriOf("\"Bob\" <sip:bob@h:5070;lr>;tag=1")).isEqualTo("sip:bob@h:5070;lr");
        assertThat(SipMessage.uriOf("sip:bob@h;tag=1")).isEqualTo("sip:bob@h");
        assertThat(SipMessage.userOf("sip:+15551234567@127.0.0.1:5060;user=phone")).isEqualTo("+15551234567");
        assertThat(SipMessage.userOf("sip:127.0.0.1:5060")).isNull();
        assertThat(SipMessage.hostPortOf("sip:1001@127.0.0.3:40000;transport=udp").getPort()).isEqualTo(40000);
        assertThat(SipMessage.hostPortOf("sip:127.0.0.1").getPort()).isEqualTo(5060);
        assertThat(SipMessage.hostPortOf("sip:127.0.0.1").getHostString()).isEqualTo("127.0.0.1");
    }

    @Test
    void serialises_with_a_computed_content_length() {
        SipMessage m = SipMessage.request("OPTIONS", "sip:x@y").add("Call-ID", "1").add("CSeq", "1 OPTIONS")
                .body("text/plain", "hello");

        String text = m.toString();

        assertThat(text).startsWith("OPTIONS sip:x@y SIP/2.0\r\n").contains("Content-Length: 5\r\n\r\nhello");
        byte[] bytes = m.toBytes();
        assertThat(SipMessage.parse(bytes, bytes.length).bodyText()).isEqualTo("hello");
    }
}
