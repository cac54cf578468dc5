package io.callcenter.testkit.sip;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DigestAuthTest {

    private static final String RFC2617_CHALLENGE = "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
            + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";

    @Test
    void rfc2617_section_3_5_example_with_qop_auth() {
        DigestAuth.Challenge challenge = DigestAuth.Challenge.parse(RFC2617_CHALLENGE);

        assertThat(challenge.realm()).isEqualTo("testrealm@host.com");
        assertThat(challenge.qop()).containsExactly("auth", "auth-int");
        assertThat(challenge.algorithm()).isEqualTo("MD5");
        assertThat(DigestAuth.response(challenge, "Mufasa", "Circle Of Life", "GET", "/dir/index.html",
                "00000001", "0a4f113b")).isEqualTo("6629fae49393a05397450978507c4ef1");
    }

    @Test
    void authorization_header_carries_qop_nc_cnonce_and_opaque() {
        DigestAuth.Challenge challenge = DigestAuth.Challenge.parse(RFC2617_CHALLENGE);

        String header = DigestAuth.authorization(challenge, "Mufasa", "Circle Of Life", "GET", "/dir/index.html", 1,
                "0a4f113b");

        assertThat(header).startsWith("Digest username=\"Mufasa\"")
                .contains("realm=\"testrealm@host.com\"", "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\"",
                        "uri=\"/dir/index.html\"", "response=\"6629fae49393a05397450978507c4ef1\"",
                        "cnonce=\"0a4f113b\"", "qop=auth", "nc=00000001", "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
    }

    @Test
    void without_qop_the_rfc2069_form_is_used() {
        DigestAuth.Challenge challenge = DigestAuth.Challenge.parse(
                "Digest realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\"");

        // MD5(HA1:nonce:HA2) with HA1 = 939e7578..., HA2 = 39aff3a2... from the RFC 2617 example.
        assertThat(DigestAuth.response(challenge, "Mufasa", "Circle Of Life", "GET", "/dir/index.html", "00000001",
                "ignored")).isEqualTo("670fd8c2df070c60b045671b8b24ff02");
        assertThat(DigestAuth.authorization(challenge, "Mufasa", "Circle Of Life", "GET", "/dir/index.html", 1, "x"))
                .doesNotContain("qop", "nc=", "cnonce");
    }

    @Test
    void parses_an_asterisk_challenge() {
        DigestAuth.Challenge challenge = DigestAuth.Challenge.parse(
                "Digest realm=\"asterisk\",nonce=\"1700000000/0a1b2c\",opaque=\"4d5e\",algorithm=md5,qop=\"auth\"");

        assertThat(challenge.realm()).isEqualTo("asterisk");
        assertThat(challenge.nonce()).isEqualTo("1700000000/0a1b2c");
        assertThat(challenge.opaque()).isEqualTo("4d5e");
        assertThat(challenge.qop()).containsExactly("auth");
        assertThat(challenge.supported()).isTrue();
        assertThat(challenge.stale()).isFalse();
        assertThat(DigestAuth.Challenge.parse("Basic realm=\"x\"")).isNull();
    }
}
