package io.callcenter.it;

import io.callcenter.call.queue.QueueRepository;
import io.callcenter.call.queue.QueueSettings;
import io.callcenter.call.queue.QueueStrategy;
import io.callcenter.routing.RoutingService;
import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Voicemail on real Asterisk, PostgreSQL and SIP peers: a caller reaches the team's box through the DID routed to it
 * and, with every agent away, as the queue's overflow after max wait; hears the box's uploaded greeting (a tone of its
 * own) and the beep; leaves a message carrying their own tone, which the team's agent downloads and which carries that
 * tone; the team's desk phone is told a message waits (NOTIFY Messages-Waiting: yes, then no once heard); another
 * team's agent finds neither box nor message.
 */
class VoicemailIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration SIGNAL = Duration.ofSeconds(10);
    private static final double GREETING = 600.0;
    /** Asterisk's beep.gsm, the tone ARI's record plays before it records (measured: 700 Hz, under half a second). */
    static final double BEEP = 700.0;
    private static final Duration MAX_WAIT = Duration.ofSeconds(10);

    private static TestApp app;
    private static String box;
    private static UUID queueId;
    private final TestPhones phones = new TestPhones();

    @BeforeAll
    static void startSystem() {
        app = TestApp.start(TestDatabase.get().newDatabase(), TestAsterisk.get());
        UUID team = app.bean(RoutingService.class).teamForNumber(TestApp.DEMO_DID).orElseThrow().id();
        HttpResponse<String> created = app.request("POST", "/api/voicemail/boxes",
                "{\"name\":\"Psychology\",\"maxMessageSeconds\":20,\"maxSilenceSeconds\":10}", app.token("maria"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        box = JSON.readTree(created.body()).path("id").asString();
        HttpResponse<byte[]> greeting = send("PUT", "/api/voicemail/boxes/" + box + "/greeting", tone(GREETING, 2.0),
                "maria");
        assertThat(greeting.statusCode()).as(new String(greeting.body())).isEqualTo(200);
        queueId = UUID.randomUUID();
        app.bean(QueueRepository.class).save(new QueueSettings(queueId, team, "Psychology", QueueStrategy.LONGEST_IDLE,
                Duration.ofSeconds(15), MAX_WAIT, Duration.ZERO, Duration.ofSeconds(20), "default",
                new QueueSettings.Overflow(QueueSettings.Overflow.Kind.VOICEMAIL, box), 0, null));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @AfterEach
    void closePhones() {
        phones.close();
        TestAsterisk.get().awaitIdle(TestPhones.SETTLE, TestPhones.AGENT_EXTENSIONS);
    }

    @Test
    void a_did_routed_to_the_box_takes_a_message_the_team_hears_and_the_desk_phone_is_told() {
        SipPhone dave = phones.agent("1003", "127.0.0.4");
        HttpResponse<String> pointed = app.request("PUT", "/api/numbers/" + TestApp.DEMO_DID + "/destination",
                "{\"kind\":\"voicemail\",\"target\":\"" + box + "\"}", app.token("maria"));
        assertThat(pointed.statusCode()).as(pointed.body()).isEqualTo(200);
        try {
            SipCall caller = phones.carrier().call(TestApp.DEMO_DID);
            caller.awaitAnswered(SIGNAL);
            assertThat(caller.awaitHearing(GREETING, SIGNAL)).as("the caller hears the box's greeting").isTrue();
            assertThat(caller.awaitHearing(BEEP, SIGNAL)).as("then the beep").isTrue();
            caller.playTone(440.0);
            pause(Duration.ofSeconds(3));
            caller.sendDtmf('#');
            caller.awaitEnded(Duration.ofSeconds(15));
        } finally {
            app.request("DELETE", "/api/numbers/" + TestApp.DEMO_DID + "/destination", null, app.token("maria"));
        }

        JsonNode message = awaitMessage("alice");
        assertThat(message.path("from").asString()).isEqualTo(TestPhones.CARRIER_CALLER);
        assertThat(message.path("durationMillis").asLong()).isBetween(2_000L, 6_000L);
        assertThat(message.path("sha256").asString()).hasSize(64);
        assertThat(message.path("heard").asBoolean()).isFalse();
        String id = message.path("id").asString();
        WavFile audio = download(id, "alice");
        assertThat(audio.anyStretchWith(440.0)).as("the message carries the caller's tone").isTrue();
        assertThat(audio.anyStretchWith(GREETING)).as("the greeting is not part of the message").isFalse();
        assertThat(dave.awaitNotify("Messages-Waiting: yes", SIGNAL)).as("dave's desk phone: " + dave.notifies()).isTrue();
        int toldSoFar = dave.notifies().size();

        // Another team's agent: no such box, no such message.
        assertThat(app.request("GET", "/api/voicemail/boxes/" + box + "/messages", null, app.token("carol")).statusCode())
                .isEqualTo(404);
        assertThat(send("GET", "/api/voicemail/messages/" + id + "/audio", null, "carol").statusCode()).isEqualTo(404);

        assertThat(app.request("POST", "/api/voicemail/messages/" + id + "/heard", null, app.token("alice")).statusCode())
                .isEqualTo(204);
        awaitNotifyAfter(dave, toldSoFar, "Messages-Waiting: no");
        assertThat(app.request("DELETE", "/api/voicemail/messages/" + id, null, app.token("bob")).statusCode())
                .isEqualTo(204);
        assertThat(messages("alice")).isEmpty();
        assertThat(send("GET", "/api/voicemail/messages/" + id + "/audio", null, "alice").statusCode()).isEqualTo(404);
    }

    @Test
    void with_every_agent_away_the_queue_overflows_to_the_box_after_max_wait() {
        SipCall caller = phones.carrier().call(TestApp.DEMO_DID);
        caller.awaitAnswered(SIGNAL);
        // Music first (it may well carry the greeting's tone too), then, at max wait, the box's greeting.
        awaitQueueLog("OVERFLOWED", MAX_WAIT.plus(SIGNAL));
        assertThat(caller.awaitHearing(GREETING, SIGNAL)).as("the greeting after max wait").isTrue();
        assertThat(caller.awaitHearing(BEEP, SIGNAL)).as("then the beep").isTrue();
        caller.playTone(880.0);
        pause(Duration.ofSeconds(3));
        // Hanging up ends the recording: the message is kept all the same.
        caller.hangup();

        JsonNode message = awaitMessage("bob");
        WavFile audio = download(message.path("id").asString(), "bob");
        assertThat(audio.anyStretchWith(880.0)).as("the message carries the caller's tone").isTrue();
        assertThat(app.bean(QueueRepository.class).log(queueId)).filteredOn(row -> row.type().name().equals("TIMED_OUT"))
                .singleElement().satisfies(row -> assertThat(row.waited()).isGreaterThanOrEqualTo(MAX_WAIT));
        app.request("DELETE", "/api/voicemail/messages/" + message.path("id").asString(), null, app.token("bob"));
    }

    /** A NOTIFY with {@code text} among those the phone received after the first {@code skip}. */
    private static void awaitNotifyAfter(SipPhone phone, int skip, String text) {
        Instant deadline = Instant.now().plus(SIGNAL);
        while (phone.notifies().stream().skip(skip).noneMatch(body -> body.contains(text))) {
            assertThat(Instant.now()).as(text + " after the message was heard: " + phone.notifies()).isBefore(deadline);
            pause(Duration.ofMillis(100));
        }
    }

    private static void awaitQueueLog(String type, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (app.bean(QueueRepository.class).log(queueId).stream().noneMatch(row -> row.type().name().equals(type))) {
            assertThat(Instant.now()).as("queue log " + type).isBefore(deadline);
            pause(Duration.ofMillis(100));
        }
    }

    @Test
    void another_teams_box_is_no_destination_and_a_greeting_must_be_an_8_khz_wav() {
        HttpResponse<String> foreign = app.request("PUT", "/api/numbers/+15550200/destination",
                "{\"kind\":\"voicemail\",\"target\":\"" + box + "\"}", app.token("admin"));
        assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(400);
        assertThat(foreign.body()).contains("unknown-destination");
        HttpResponse<String> again = app.request("POST", "/api/voicemail/boxes", "{\"name\":\"Second\"}", app.token("maria"));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);

        byte[] wideband = tone(GREETING, 2.0);
        ByteBuffer.wrap(wideband).order(ByteOrder.LITTLE_ENDIAN).putInt(24, 16000).putInt(28, 32000);
        HttpResponse<byte[]> refused = send("PUT", "/api/voicemail/boxes/" + box + "/greeting", wideband, "maria");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(new String(refused.body())).contains("unplayable-greeting", "16000 Hz");
    }

    private static JsonNode messages(String user) {
        HttpResponse<String> response = app.request("GET", "/api/voicemail/boxes/" + box + "/messages", null, app.token(user));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static JsonNode awaitMessage(String user) {
        Instant deadline = Instant.now().plus(SIGNAL);
        while (Instant.now().isBefore(deadline)) {
            JsonNode list = messages(user);
            if (!list.isEmpty()) {
                return list.get(0);
            }
            pause(Duration.ofMillis(200));
        }
        throw new AssertionError("no voicemail message in the box");
    }

    private static WavFile download(String messageId, String user) {
        HttpResponse<byte[]> response = send("GET", "/api/voicemail/messages/" + messageId + "/audio", null, user);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("audio/wav");
        return WavFile.parse(response.body());
    }

    private static HttpResponse<byte[]> send(String method, String path, byte[] body, String user) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                    .header("Authorization", "Bearer " + app.token(user)).header("Content-Type", "audio/wav")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A WAV as Asterisk plays it untranscoded: 16-bit PCM, mono, 8 kHz, a sine of {@code hz}. */
    static byte[] tone(double hz, double seconds) {
        int samples = (int) (8000 * seconds);
        ByteBuffer wav = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes())
                .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(8000).putInt(16000)
                .putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(samples * 2);
        for (int i = 0; i < samples; i++) {
            wav.putShort((short) (8000 * Math.sin(2 * Math.PI * hz * i / 8000)));
        }
        return wav.array();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
