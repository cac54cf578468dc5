package io.callcenter.testkit.sip;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

class SdpTest {

    @Test
    void reads_an_asterisk_offer_with_several_codecs() {
        String offer = """
                v=0
                o=- 1 3 IN IP4 127.0.0.1
                s=Asterisk
                c=IN IP4 127.0.0.1
                t=0 0
                m=audio 17000 RTP/AVP 8 0 3 96 101
                a=rtpmap:8 PCMA/8000
                a=rtpmap:0 PCMU/8000
                a=rtpmap:3 GSM/8000
                a=rtpmap:96 telephone-event/16000
                a=rtpmap:101 telephone-event/8000
                a=fmtp:101 0-16
                a=ptime:20
                a=maxptime:140
                a=sendrecv
                """;

        Sdp sdp = Sdp.parse(offer);

        assertThat(sdp.offersPcmu()).isTrue();
        assertThat(sdp.telephoneEventPt()).isEqualTo(101);
        assertThat(sdp.rtpTarget()).isEqualTo(new InetSocketAddress("127.0.0.1", 17000));
        assertThat(sdp.direction()).isEqualTo("sendrecv");
    }

    @Test
    void media_level_connection_wins_and_pcma_only_is_not_acceptable() {
        Sdp sdp = Sdp.parse("v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 8\r\nc=IN IP4 127.0.0.9\r\na=sendonly\r\n");

        assertThat(sdp.rtpTarget()).isEqualTo(new InetSocketAddress("127.0.0.9", 4000));
        assertThat(sdp.offersPcmu()).isFalse();
        assertThat(sdp.direction()).isEqualTo("sendonly");
    }

    @Test
    void our_sdp_offers_pcmu_and_telephone_events() {
        String ours = Sdp.build("127.0.0.3", 40002, 5, 1, 101);

        assertThat(ours).contains("m=audio 40002 RTP/AVP 0 101\r\n", "a=rtpmap:0 PCMU/8000", "a=fmtp:101 0-16",
                "a=ptime:20", "a=sendrecv", "c=IN IP4 127.0.0.3");
        Sdp parsed = Sdp.parse(ours);
        assertThat(parsed.offersPcmu()).isTrue();
        assertThat(parsed.telephoneEventPt()).isEqualTo(101);
    }
}
