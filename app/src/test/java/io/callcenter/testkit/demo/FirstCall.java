package io.callcenter.testkit.demo;

import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A first call through the running development system ({@code make up}): agent 1003 (dave's desk phone) registers, the stand-in
 * carrier at 127.0.0.2 calls the demo DID, the agent answers, both send a tone and check they hear the other's,
 * the caller hangs up, and the call record is printed. Run with {@code make first-call}.
 */
public final class FirstCall {

    private FirstCall() {
    }

    public static void main(String[] args) throws Exception {
        Path runDir = Path.of(System.getProperty("callcenter.run.dir", ".run"));
        String password = Files.readString(runDir.resolve("secrets/demo-agent-password")).strip();
        String did = args.length > 0 ? args[0] : "+15550100";

        String userPassword = Files.readString(runDir.resolve("secrets/demo-user-password")).strip();
        try (SipPhone agent = SipPhone.start(SipPhone.Config.builder().name("agent-1003").bindAddress("127.0.0.3")
                .server("127.0.0.1", 5060).username("1003").password(password).build());
             SipPhone carrier = SipPhone.start(SipPhone.Config.builder().name("carrier").bindAddress("127.0.0.2")
                     .bindPort(5060).server("127.0.0.1", 5060).username("+15551230000").build())) {
            agent.register();
            System.out.println("1003 registered; the carrier calls " + did + " from +15551230000 ...");
            SipCall caller = carrier.call(did);
            SipCall atAgent = agent.awaitIncomingCall(Duration.ofSeconds(10));
            System.out.println("1003 rings: call from " + atAgent.fromUser());
            atAgent.answer();
            caller.awaitAnswered(Duration.ofSeconds(10));
            caller.playTone(440);
            atAgent.playTone(1100);
            boolean agentHears = atAgent.awaitHearing(440, Duration.ofSeconds(5));
            boolean callerHears = caller.awaitHearing(1100, Duration.ofSeconds(5));
            System.out.println("agent hears caller: " + agentHears + ", caller hears agent: " + callerHears);
            Thread.sleep(2000);
            caller.hangup();
            atAgent.awaitEnded(Duration.ofSeconds(10));
            Thread.sleep(500);
            HttpClient http = client(runDir);
            String base = (Files.exists(runDir.resolve("tls/ca.pem")) ? "https" : "http") + "://127.0.0.1:8080";
            String login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/auth/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"dave\",\"password\":\"" + userPassword + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            String token = login.replaceAll("(?s).*\"token\":\"([^\"]+)\".*", "$1");
            HttpResponse<String> calls = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/calls?limit=1"))
                            .header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println("GET /api/calls?limit=1 ->\n" + calls.body());
            if (!agentHears || !callerHears) {
                System.exit(1);
            }
        }
    }

    /** The app serves HTTPS with the run's development CA (scripts/dev-certs.sh) when there is one: trust only it. */
    private static HttpClient client(Path runDir) {
        Path ca = runDir.resolve("tls/ca.pem");
        return Files.exists(ca) ? io.callcenter.testkit.tls.DevCa.httpClient(ca) : HttpClient.newHttpClient();
    }
}
