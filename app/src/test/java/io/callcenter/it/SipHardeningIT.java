package io.callcenter.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SIP port as an attacker sees it (issue 11), on the real Asterisk with the app's agents pushed: an INVITE from
 * an arbitrary address posing as the carrier is challenged like any stranger, nobody can tell a real extension from
 * a made-up one by Asterisk's answers, Debian's sipvicious finds no extension, and the fail2ban filter in
 * {@code ops/fail2ban} matches what that scan wrote to the security log. The scanner and fail2ban run from the
 * cached Debian root filesystem of {@code scripts/security-tools.sh}.
 */
class SipHardeningIT {

    /** Not the carrier (127.0.0.2) and no agent's phone: a stranger on the network. */
    private static final String STRANGER = "127.0.0.5";
    private static final Pattern STATUS = Pattern.compile("^SIP/2\\.0 (\\d{3})");
    private static final Pattern REALM = Pattern.compile("realm=\"([^\"]*)\"");
    private static final Pattern NONCE = Pattern.compile("nonce=\"([^\"]*)\"");
    private static final Pattern OPAQUE = Pattern.compile("opaque=\"([^\"]*)\"");

    private static TestAsterisk asterisk;
    private static TestApp app;

    @BeforeAll
    static void startSystem() {
        asterisk = TestAsterisk.get();
        app = TestApp.start(TestDatabase.get().newDatabase(), asterisk);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void an_invite_posing_as_the_carrier_from_another_address_is_challenged_and_reaches_no_routing() {
        // The trunk answers the carrier's own address (the positive control: the test would pass on a dead port).
        assertThat(request("127.0.0.2", "OPTIONS", "telnyx", "+15550100", null).status()).isEqualTo(200);

        Answer forged = request(STRANGER, "INVITE", "telnyx", TestApp.DEMO_DID, null);
        assertThat(forged.status()).as("INVITE From telnyx from %s: %s", STRANGER, forged.raw()).isEqualTo(401);
        assertThat(request(STRANGER, "OPTIONS", "telnyx", "+15550100", null).status()).isEqualTo(401);
        // Nothing was created for it: no channel, no call record.
        assertThat(asterisk.cli("core show channels count")).contains("0 active channels");
        assertThat(JsonMapper.builder().build().readTree(app.get("/api/calls?limit=5").body()).path("items")).isEmpty();
    }

    @Test
    void a_stranger_gets_the_same_answers_for_a_real_extension_and_a_made_up_one() {
        for (String method : List.of("REGISTER", "INVITE", "OPTIONS")) {
            Exchange real = exchange(method, "1001");
            Exchange madeUp = exchange(method, "7391");
            assertThat(madeUp).as("%s for 1001 (exists) vs 7391 (does not)", method).isEqualTo(real);
            assertThat(real.first()).isEqualTo("401 realm=callcenter");
        }
    }

    @Test
    void a_sipvicious_scan_finds_no_extension_and_trips_the_fail2ban_filter() throws IOException {
        Path work = TestAsterisk.repoDir().resolve("app/target/sip-hardening");
        Files.createDirectories(work);
        Path securityLog = asterisk.logDir().resolve("security.log");
        long before = Files.exists(securityLog) ? Files.size(securityLog) : 0;

        // Extensions 1001-1003 and 3001 exist (the demo agents). Without --force svwar gives up at its sanity check
        // (a made-up extension is challenged like a real one); with it, it stops at the first answer it cannot tell
        // apart from that one. Each method is one scan.
        for (String method : List.of("REGISTER", "INVITE", "OPTIONS")) {
            String scan = tool(work, "svwar", "--force", "-m", method, "-e", "1000-1010,3000-3002", "127.0.0.1");
            assertThat(scan).as("svwar -m %s", method).contains("found nothing").doesNotContain("| Extension");
        }

        Files.write(work.resolve("security.log"), tail(securityLog, before));
        Files.copy(TestAsterisk.repoDir().resolve("ops/fail2ban/filter.d/callcenter-asterisk.conf"),
                work.resolve("filter.conf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String regex = tool(work, "fail2ban-regex", "--print-all-matched", "/work/security.log", "/work/filter.conf");
        Matcher lines = Pattern.compile("Lines: (\\d+) lines, \\d+ ignored, (\\d+) matched").matcher(regex);
        assertThat(lines.find()).as(regex).isTrue();
        // Enough for the jail to ban the scanner, and every match names the scanner's address (svwar sends from the
        // address the kernel picks towards 127.0.0.1, i.e. 127.0.0.1 itself).
        String jail = Files.readString(TestAsterisk.repoDir().resolve("ops/fail2ban/jail.d/callcenter-asterisk.conf"));
        Matcher maxRetry = Pattern.compile("(?m)^maxretry\\s*=\\s*(\\d+)").matcher(jail);
        assertThat(maxRetry.find()).isTrue();
        assertThat(Integer.parseInt(lines.group(2))).as(regex).isGreaterThanOrEqualTo(Integer.parseInt(maxRetry.group(1)));
        assertThat(regex.lines().filter(l -> l.startsWith("|  [") && l.contains("SecurityEvent=\"InvalidAccountID\""))
                .toList()).isNotEmpty().allMatch(l -> l.contains("RemoteAddress=\"IPV4/UDP/127.0.0.1/"));
    }

    @Test
    void with_agent_networks_only_those_and_the_carrier_reach_asterisk() {
        try (TestPhones phones = new TestPhones()) {
            asterisk.restart(Map.of("AGENT_NETWORKS", "127.0.0.3/32"));
            awaitAgentsPushed();
            for (String user : List.of("1001", "7391", "telnyx")) {
                assertThat(request(STRANGER, "REGISTER", user, user, null).status()).as("REGISTER %s from %s", user, STRANGER)
                        .isEqualTo(403);
            }
            assertThat(request("127.0.0.2", "OPTIONS", "+15551230000", TestApp.DEMO_DID, null).status()).isEqualTo(200);
            // An agent's phone inside the network registers as usual (its REGISTER fails the test otherwise).
            phones.agent("1001", "127.0.0.3");
        } finally {
            asterisk.restart();
            awaitAgentsPushed();
        }
        assertThat(request(STRANGER, "REGISTER", "1001", "1001", null).status()).isEqualTo(401);
    }

    /** After a restart Asterisk knows no agent until the app has reconnected and pushed them all again. */
    private static void awaitAgentsPushed() {
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(60);
        String endpoints = "";
        while (java.time.Instant.now().isBefore(deadline)) {
            endpoints = asterisk.cli("pjsip show endpoints");
            String shown = endpoints;
            if (java.util.Arrays.stream(TestPhones.AGENT_EXTENSIONS).allMatch(e -> shown.contains("Endpoint:  " + e))) {
                app.awaitAsteriskConnected(Duration.ofSeconds(30));
                return;
            }
            TestApp.sleep(200);
        }
        throw new AssertionError("the app did not push its agents again within 60 s:\n" + endpoints);
    }

    /** One request and, when challenged, one answer with a wrong password: what a stranger learns from both. */
    private static Exchange exchange(String method, String user) {
        Answer challenge = request(STRANGER, method, user, method.equals("REGISTER") ? user : TestApp.DEMO_DID, null);
        Answer retry = request(STRANGER, method, user, method.equals("REGISTER") ? user : TestApp.DEMO_DID, challenge);
        return new Exchange(challenge.summary(), retry.summary());
    }

    record Exchange(String first, String second) {
    }

    record Answer(int status, String realm, String nonce, String opaque, String raw) {
        /** Status and realm: nonces and opaques differ on every answer by design. */
        String summary() {
            return status + " realm=" + realm;
        }
    }

    /**
     * A raw UDP request from {@code source} with From user {@code user}; with {@code challenge}, answers it with a
     * digest of a wrong password. Returns the first final answer (after any 100 Trying).
     */
    private static Answer request(String source, String method, String user, String target, Answer challenge) {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(source, 0))) {
            socket.setSoTimeout(3000);
            String requestUri = method.equals("REGISTER") ? "sip:127.0.0.1" : "sip:" + target + "@127.0.0.1";
            String tag = UUID.randomUUID().toString().substring(0, 8);
            StringBuilder message = new StringBuilder()
                    .append(method).append(' ').append(requestUri).append(" SIP/2.0\r\n")
                    .append("Via: SIP/2.0/UDP ").append(source).append(':').append(socket.getLocalPort())
                    .append(";branch=z9hG4bK").append(tag).append(";rport\r\n")
                    .append("Max-Forwards: 70\r\n")
                    .append("From: <sip:").append(user).append("@127.0.0.1>;tag=").append(tag).append("\r\n")
                    .append("To: <sip:").append(target).append("@127.0.0.1>\r\n")
                    .append("Call-ID: ").append(UUID.randomUUID()).append("\r\n")
                    .append("CSeq: 1 ").append(method).append("\r\n")
                    .append("Contact: <sip:").append(user).append('@').append(source).append(':')
                    .append(socket.getLocalPort()).append(">\r\n");
            if (challenge != null && challenge.status() == 401) {
                message.append("Authorization: ").append(wrongDigest(method, user, requestUri, challenge)).append("\r\n");
            }
            message.append("Content-Length: 0\r\n\r\n");
            byte[] bytes = message.toString().getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getByName("127.0.0.1"), 5060));
            byte[] buffer = new byte[65_535];
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                String raw = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                Matcher status = STATUS.matcher(raw);
                if (status.find() && !status.group(1).startsWith("1")) {
                    return new Answer(Integer.parseInt(status.group(1)), group(REALM, raw), group(NONCE, raw),
                            group(OPAQUE, raw), raw);
                }
            }
        } catch (SocketTimeoutException e) {
            return new Answer(0, null, null, null, "(no answer within 3 s)");
        } catch (IOException e) {
            throw new AssertionError(method + " from " + source + " failed", e);
        }
    }

    private static String wrongDigest(String method, String user, String uri, Answer challenge) {
        String ha1 = md5(user + ":" + challenge.realm() + ":not-the-password");
        String ha2 = md5(method + ":" + uri);
        String response = md5(ha1 + ":" + challenge.nonce() + ":00000001:0a1b2c3d:auth:" + ha2);
        return "Digest username=\"" + user + "\",realm=\"" + challenge.realm() + "\",nonce=\"" + challenge.nonce()
                + "\",uri=\"" + uri + "\",response=\"" + response + "\",algorithm=MD5,qop=auth,nc=00000001,"
                + "cnonce=\"0a1b2c3d\",opaque=\"" + challenge.opaque() + "\"";
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String group(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.group(1) : null;
    }

    private static byte[] tail(Path file, long from) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] bytes = new byte[(int) (in.length() - from)];
            in.seek(from);
            in.readFully(bytes);
            return bytes;
        }
    }

    /** A tool of the security tools' root filesystem with {@code work} as /work; its whole output. */
    private static String tool(Path work, String... command) {
        List<String> line = new ArrayList<>(List.of("bash",
                TestAsterisk.repoDir().resolve("scripts/security-tools.sh").toString(), "run", work.toString()));
        line.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + line, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
