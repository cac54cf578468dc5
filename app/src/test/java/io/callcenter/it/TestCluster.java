package io.callcenter.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster of issue 17 for integration tests: Asterisk media nodes ({@code scripts/asterisk.sh} with
 * {@code ASTERISK_NODE=n}, on 127.0.0.1n) behind the Kamailio edge ({@code scripts/kamailio.sh}, 127.0.0.10:5060),
 * in the same run directory as {@link TestAsterisk} (so the same ARI password) but on addresses of their own, so the
 * single test Asterisk on 127.0.0.1 may run beside them. One per test JVM; stopped when the JVM exits.
 */
final class TestCluster {

    static final String EDGE = "127.0.0.10";
    /** Where browsers' softphones register once the edge takes agents ({@link #registerAgentsAt}). */
    static final String EDGE_WSS_URL = "wss://" + EDGE + ":8443";
    private static final Pattern DESTINATION = Pattern.compile("URI: sip:([0-9.]+):\\d+\\s+FLAGS: (\\w+)");
    private static final Pattern CONTACT_HOST = Pattern.compile("sip:(?:[^@>;]*@)?([0-9.]+)");
    private static TestCluster instance;

    private final Path repo = TestAsterisk.repoDir();
    private final Path runDir = repo.resolve("app/target/it-run");
    private final int nodes;
    /** Nodes killed since the last app started behind the edge: their registrations are wiped before the next one. */
    private final java.util.Set<Integer> killed = new java.util.TreeSet<>();
    /** Whether a class has started an app behind the edge in this JVM (its registrations may linger on the nodes). */
    private boolean appStartedBehindEdge;

    private TestCluster(int nodes) {
        this.nodes = nodes;
    }

    /** Two nodes and the edge, started once per JVM. */
    static synchronized TestCluster get() {
        if (instance == null) {
            TestCluster cluster = new TestCluster(2);
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::stopQuietly));
            for (int node = 1; node <= cluster.nodes; node++) {
                cluster.startNode(node);
            }
            cluster.run(List.of("kamailio.sh", "start"), Map.of("MEDIA_NODES", cluster.mediaNodes()));
            instance = cluster;
        }
        return instance;
    }

    int nodes() {
        return nodes;
    }

    /** 127.0.0.11 for node 1, ... */
    static String nodeAddress(int node) {
        return "127.0.0.1" + node;
    }

    String ariUrl(int node) {
        return "http://" + nodeAddress(node) + ":8088/";
    }

    /** The asterisk_id of the node's ARI events (scripts/asterisk.sh sets entityid per node). */
    static String asteriskId(int node) {
        return String.format("02:00:00:00:00:%02x", node);
    }

    String ariPassword() {
        try {
            return Files.readString(runDir.resolve("secrets/ari-password"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("ARI password file missing in " + runDir, e);
        }
    }

    /** The one recordings store every node writes into (scripts/asterisk.sh's RECORDINGS_STORE default). */
    Path recordingsStore() {
        return runDir.resolve("recordings");
    }

    void startNode(int node) {
        run(List.of("asterisk.sh", "start"), Map.of("ASTERISK_NODE", String.valueOf(node)));
    }

    /** A clean shutdown: the node's database (astdb) keeps exactly what it had, as after a planned restart. */
    void stopNode(int node) {
        run(List.of("asterisk.sh", "stop"), Map.of("ASTERISK_NODE", String.valueOf(node)));
    }

    /** Waits until the app's Stasis application is on the node again (the app reconnected to it). */
    void awaitAppOn(int node, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!cli(node, "ari show apps").contains("callcenter")) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the app is not connected to node " + node);
            }
            TestApp.sleep(200);
        }
    }

    /** SIGKILL: the node sends nothing more, as when its machine is lost. */
    void killNode(int node) {
        killed.add(node);
        run(List.of("asterisk.sh", "kill"), Map.of("ASTERISK_NODE", String.valueOf(node)));
    }

    /**
     * Every class behind the edge starts on nodes without another class's registrations. A node killed by an earlier
     * class came back with the contacts of that class's phones from its database, and the unregistrations sent while
     * it restarted were refused (its endpoints were not pushed yet: "No matching endpoint found"); and a contact a node
     * kept from an earlier class's app stays "Avail" there after an unregistration accepted once the next app has
     * pushed the endpoints again (seen with EdgeAgentsIT after ClusterRecordingIT). Kept, they show online the phones of
     * agents who logged off, for ever with EdgeAgentsIT's hour-long qualify. In production the same app's phones renew
     * or lapse, and the nodes' qualify marks a stale contact unreachable within one interval (the edge does not answer
     * for an unregistered phone): kamailio-config/README.md. So each class's nodes are wiped and restarted cleanly.
     */
    private void forgetEarlierRegistrations() {
        if (!appStartedBehindEdge) {
            appStartedBehindEdge = true;
            if (killed.isEmpty()) {
                return;
            }
        }
        for (int node = 1; node <= nodes; node++) {
            cli(node, "database deltree registrar/contact");
            stopNode(node);
            startNode(node);
        }
        killed.clear();
    }

    String cli(int node, String command) {
        return run(List.of("asterisk.sh", "cli", command), Map.of("ASTERISK_NODE", String.valueOf(node)));
    }

    /** Each node's address with the edge's dispatcher state of it (AP active, IP inactive, ...). */
    Map<String, String> edgeView() {
        String listing = run(List.of("kamailio.sh", "rpc", "dispatcher.list"), Map.of());
        Map<String, String> states = new java.util.TreeMap<>();
        Matcher matcher = DESTINATION.matcher(listing);
        while (matcher.find()) {
            states.put(matcher.group(1), matcher.group(2));
        }
        return states;
    }

    /** Waits until the edge's probing counts every node as active (A), e.g. after a node came back. */
    void awaitAllNodesActive(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, String> view;
        while (!(view = edgeView()).values().stream().allMatch(flags -> flags.startsWith("A")) || view.size() != nodes) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the edge does not count every node active: " + view);
            }
            TestApp.sleep(200);
        }
    }

    /**
     * Agents' phones register at the edge from now on, authenticated against the agents of the database at
     * {@code jdbcUrl} (its view edge_subscriber, migration V130) through the read-only login {@code callcenter_edge},
     * made here as scripts/postgres.sh makes it, with a password of this run. Call it before the app migrates that
     * database (the migration grants the view to the login when it exists). Restarts the edge, with browsers' WSS on
     * {@link #EDGE_WSS_URL}.
     */
    void registerAgentsAt(String jdbcUrl) {
        String password = java.util.UUID.randomUUID().toString().replace("-", "");
        TestDatabase database = TestDatabase.get();
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(jdbcUrl, database.user(),
                database.password()); java.sql.Statement sql = connection.createStatement()) {
            sql.execute("do $$ begin if not exists (select from pg_roles where rolname = 'callcenter_edge') then"
                    + " create role callcenter_edge login; end if; end $$");
            sql.execute("alter role callcenter_edge login password '" + password + "'");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot make the edge's database login", e);
        }
        java.net.URI url = java.net.URI.create(jdbcUrl.substring("jdbc:".length()));
        String host = "localhost".equals(url.getHost()) ? "127.0.0.1" : url.getHost();
        run(List.of("kamailio.sh", "stop"), Map.of());
        run(List.of("kamailio.sh", "start"), Map.of("MEDIA_NODES", mediaNodes(),
                "EDGE_DB", host + ":" + url.getPort() + url.getPath(), "EDGE_DB_PASSWORD", password,
                "EDGE_WSS_PORT", "8443"));
    }

    /**
     * A fresh database whose agents the edge authenticates ({@link #registerAgentsAt}), and the app on every node with
     * agents' phones behind the edge (qualified every 2 s, so presence tests stay short); {@code overrides} on top.
     */
    TestApp startAppBehindEdge(boolean tls, Map<String, String> overrides) {
        forgetEarlierRegistrations();
        String database = TestDatabase.get().newDatabase();
        registerAgentsAt(database);
        List<String> ariUrls = new ArrayList<>();
        for (int node = 1; node <= nodes; node++) {
            ariUrls.add(ariUrl(node));
        }
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "callcenter.ari.nodes", String.join(",", ariUrls),
                "callcenter.edge.sip-address", EDGE + ":5060",
                "callcenter.edge.qualify-seconds", "2"));
        settings.putAll(overrides);
        return tls ? TestApp.startTls(database, TestAsterisk.get(), settings)
                : TestApp.start(database, TestAsterisk.get(), settings);
    }

    /** Waits until the node has a contact for the agent (the edge registered the agent's phone there). */
    void awaitContact(int node, String extension, Duration timeout) {
        Pattern contact = Pattern.compile("Contact:\\s+" + extension + "/sip:");
        Instant deadline = Instant.now().plus(timeout);
        while (!contact.matcher(cli(node, "pjsip show contacts")).find()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("node " + node + " has no contact for " + extension + ":\n"
                        + cli(node, "pjsip show contacts"));
            }
            TestApp.sleep(200);
        }
    }

    /** An agent's SIP phone on its own address, registered at the edge (the only place phones register). */
    static io.callcenter.testkit.sip.SipPhone agentPhone(String extension, String password, String host) {
        io.callcenter.testkit.sip.SipPhone phone = io.callcenter.testkit.sip.SipPhone.start(
                io.callcenter.testkit.sip.SipPhone.Config.builder()
                        .name(extension + "@edge").bindAddress(host).bindPort(0)
                        .server(EDGE, 5060).username(extension).password(password).build());
        phone.register();
        return phone;
    }

    /** The stand-in carrier on its address (the edge recognises the carrier by it), sending to the edge. */
    static io.callcenter.testkit.sip.SipPhone carrier() {
        return io.callcenter.testkit.sip.SipPhone.start(io.callcenter.testkit.sip.SipPhone.Config.builder()
                .name("carrier").bindAddress("127.0.0.2").bindPort(5060)
                .server(EDGE, 5060).username(TestPhones.CARRIER_CALLER).build());
    }

    /** The node that answered a carrier call: the host of the 200's Contact (the node's own; the edge only routes). */
    static String answeringNode(io.callcenter.testkit.sip.SipCall call) {
        String contact = call.header("Contact");
        if (contact == null) {
            throw new AssertionError("no Contact in the answer to " + call.callId());
        }
        Matcher host = CONTACT_HOST.matcher(contact);
        if (!host.find()) {
            throw new AssertionError("no host in " + contact);
        }
        return host.group(1);
    }

    private String mediaNodes() {
        List<String> entries = new ArrayList<>();
        for (int node = 1; node <= nodes; node++) {
            entries.add(nodeAddress(node) + ":5060");
        }
        return String.join(",", entries);
    }

    private void stopQuietly() {
        try {
            run(List.of("kamailio.sh", "stop"), Map.of());
        } catch (RuntimeException ignored) {
            // JVM exiting; the private mount namespaces leave nothing behind.
        }
        for (int node = 1; node <= nodes; node++) {
            try {
                run(List.of("asterisk.sh", "stop"), Map.of("ASTERISK_NODE", String.valueOf(node)));
            } catch (RuntimeException ignored) {
                // as above
            }
        }
    }

    private synchronized String run(List<String> scriptAndArgs, Map<String, String> environment) {
        Map<String, String> withRunDir = new java.util.HashMap<>(environment);
        withRunDir.put("CALLCENTER_RUN_DIR", runDir.toString());
        return TestAsterisk.runScript(repo, scriptAndArgs.getFirst(), scriptAndArgs.subList(1, scriptAndArgs.size()),
                withRunDir);
    }
}
