// Reproduction without the call-center app: does MixMonitor on a channel in an ARI bridge keep recording what that
// channel hears when the bridge changes technology (simple_bridge -> softmix as a third channel joins, softmix ->
// simple_bridge as it leaves)? Run by bench/mixmonitor-repro/run.sh (a throwaway Asterisk 22 in a network namespace);
// JDK only: `java MixMonitorBridgeSwitch.java <ari password> <ami password> <recording dir> <tech>` where tech is
// "local" (Local channels playing tones) or "pjsip" (SIPp peers, see run.sh).
// Each party is a tone: A (the recorded "customer") 440 Hz, B 700 Hz, C 1100 Hz. The file is read back in 0.5 s
// blocks and the tones present in each are printed beside the bridge's technology at that time.
import java.io.*;
import java.net.*;
import java.net.http.*;
import java.nio.*;
import java.nio.file.*;
import java.time.*;
import java.util.*;
import java.util.concurrent.*;

public class MixMonitorBridgeSwitch {
    static String ari = "http://127.0.0.1:8088/ari";
    static String auth;
    static HttpClient http = HttpClient.newHttpClient();
    static final BlockingQueue<String> started = new LinkedBlockingQueue<>();
    static final List<String> timeline = Collections.synchronizedList(new ArrayList<>());
    static long t0;

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } finally {
            System.exit(0);   // the event websocket would keep the JVM alive
        }
    }

    static void run(String[] args) throws Exception {
        auth = "Basic " + Base64.getEncoder().encodeToString(("callcenter:" + args[0]).getBytes());
        String amiSecret = args[1];
        Path dir = Path.of(args[2]);
        String tech = args.length > 3 ? args[3] : "local";
        http.newWebSocketBuilder().header("Authorization", auth)
                .buildAsync(URI.create("ws://127.0.0.1:8088/ari/events?app=repro"), new WebSocket.Listener() {
                    StringBuilder text = new StringBuilder();
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            String event = text.toString();
                            text.setLength(0);
                            if (event.contains("\"type\":\"StasisStart\"")) {
                                int i = event.indexOf("\"id\":\"", event.indexOf("\"channel\"")) + 6;
                                started.add(event.substring(i, event.indexOf('"', i)));
                            }
                        }
                        ws.request(1);
                        return null;
                    }
                }).join();
        String bridge = "repro-" + System.currentTimeMillis();
        post("/bridges?type=mixing&bridgeId=" + bridge);
        String a = party(tech, 440);
        // MixMonitor on A before A joins the bridge, as dialplan does before Dial().
        String name = "repro-" + System.currentTimeMillis();
        try (Socket s = new Socket("127.0.0.1", 5038)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream()));
            Writer out = new OutputStreamWriter(s.getOutputStream());
            in.readLine();
            out.write("Action: Login\r\nUsername: callcenter\r\nSecret: " + amiSecret + "\r\nEvents: off\r\n\r\n");
            out.write("Action: MixMonitor\r\nChannel: " + a + "\r\nFile: " + "/var/spool/asterisk/recording/" + name + ".wav\r\n\r\n");
            out.flush();
            int responses = 0;
            for (String line; (line = in.readLine()) != null && responses < 2; ) {
                if (line.startsWith("Response: Error")) throw new IllegalStateException("AMI: " + in.readLine() + in.readLine());
                if (line.startsWith("Response: ")) responses++;
            }
            System.err.println("MixMonitor on " + a + ": " + name);
        }
        t0 = System.nanoTime();
        post("/bridges/" + bridge + "/addChannel?channel=" + a);
        String b = party(tech, 700);
        post("/bridges/" + bridge + "/addChannel?channel=" + b);
        String consent = args.length > 4 ? args[4] : "none";
        if (consent.equals("channels")) {
            // The app's consent in MixMonitor mode: an announcement played to each party's channel in the bridge.
            post("/channels/" + a + "/play?media=sound:conf-now-recording");
            post("/channels/" + b + "/play?media=sound:conf-now-recording");
        } else if (consent.equals("bridge")) {
            // The app's consent in bridge mode: played on the bridge (an announcer channel joins: softmix for a while).
            post("/bridges/" + bridge + "/play?media=sound:conf-now-recording");
        }
        phase(bridge, "A+B consent " + consent, 5);
        String c = party(tech, 1100);
        if (consent.equals("channels")) {
            // As the app does for a party joining later: the announcement alone to it, then into the bridge.
            post("/channels/" + c + "/play?media=sound:conf-now-recording");
            Thread.sleep(3000);
        }
        post("/bridges/" + bridge + "/addChannel?channel=" + c);
        phase(bridge, "A+B+C", 4);
        // Who leaves the three: C (back to the two who started) or B (A stays with the party that joined on softmix,
        // as when the agent leaves a conference).
        boolean bLeaves = args.length > 5 && args[5].equals("B");
        post("/bridges/" + bridge + "/removeChannel?channel=" + (bLeaves ? b : c));
        phase(bridge, bLeaves ? "A+C after B left" : "A+B after C left", 4);
        for (String ch : List.of(a, b, c)) delete("/channels/" + ch);
        delete("/bridges/" + bridge);
        Path file = dir.resolve(name + ".wav");
        for (int i = 0; i < 40 && !Files.exists(file); i++) Thread.sleep(250);
        Thread.sleep(1000);
        timeline.forEach(System.out::println);
        analyse(file);
    }

    static String party(String tech, int hz) throws Exception {
        String endpoint = tech.equals("pjsip") ? "PJSIP/tone" + hz : "Local/beep-" + hz + "@repro-tones/n";
        post("/channels?endpoint=" + URLEncoder.encode(endpoint, "UTF-8") + "&app=repro");
        String id = started.poll(20, TimeUnit.SECONDS);
        System.err.println(endpoint + " -> " + id);
        if (id == null) throw new IllegalStateException("no StasisStart for " + endpoint);
        // (An originated channel enters the application once the far end answered: nothing to answer here.)
        return id;
    }

    static void phase(String bridge, String what, int seconds) throws Exception {
        for (int i = 0; i < seconds * 2; i++) {
            String b = get("/bridges/" + bridge);
            int t = b.indexOf("\"technology\":\"") + 14;
            timeline.add(String.format("%5.1f s  %-26s bridge %s", (System.nanoTime() - t0) / 1e9, what, b.substring(t, b.indexOf('"', t))));
            Thread.sleep(500);
        }
    }

    static void analyse(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ShortBuffer pcm = ByteBuffer.wrap(bytes, 44, bytes.length - 44).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        short[] s = new short[pcm.remaining()];
        pcm.get(s);
        System.out.println(file.getFileName() + ": " + s.length / 8000.0 + " s (tones at amplitude > 300 per 0.5 s)");
        for (int i = 0; i + 4000 <= s.length; i += 4000) {
            StringBuilder line = new StringBuilder(String.format("%5.1f s ", i / 8000.0));
            for (int hz : new int[] {440, 700, 1100}) {
                double amp = goertzel(s, i, 4000, hz);
                line.append(String.format(" %4d Hz %s %6.0f", hz, amp > 300 ? "YES" : " - ", amp));
            }
            System.out.println(line);
        }
    }

    static double goertzel(short[] s, int from, int n, int hz) {
        double w = 2 * Math.PI * Math.round(n * hz / 8000.0) / n, c = 2 * Math.cos(w), s1 = 0, s2 = 0;
        for (int i = from; i < from + n; i++) { double v = s[i] + c * s1 - s2; s2 = s1; s1 = v; }
        return Math.sqrt(Math.max(0, s1 * s1 + s2 * s2 - c * s1 * s2)) / n * 2;
    }

    static String get(String path) throws Exception { return send(HttpRequest.newBuilder(URI.create(ari + path)).GET()); }
    static String post(String path) throws Exception { System.err.println("POST " + path); return send(HttpRequest.newBuilder(URI.create(ari + path)).POST(HttpRequest.BodyPublishers.noBody())); }
    static String delete(String path) throws Exception { return send(HttpRequest.newBuilder(URI.create(ari + path)).DELETE()); }
    static String send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = http.send(request.header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300 && r.statusCode() != 404) throw new IllegalStateException(r.statusCode() + " " + r.body());
        return r.body();
    }
}
