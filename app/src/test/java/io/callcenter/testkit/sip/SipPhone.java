package io.callcenter.testkit.sip;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A minimal SIP user agent over UDP (RFC 3261 subset) for tests: registers with digest auth, places and answers
 * calls, and runs PCMU RTP per call. All protocol state of the phone and its calls is guarded by one lock, so the
 * receive thread, the retransmission timer and test threads never see a half-updated dialog.
 */
public final class SipPhone implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SipPhone.class);
    static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, NOTIFY, INFO, UPDATE";

    /** Phone settings; only the bind address is needed for a phone that just answers. */
    public static final class Config {
        final String name;
        final String bindAddress;
        final int bindPort;
        final String serverHost;
        final int serverPort;
        final String domain;
        final String username;
        final String password;
        final String authUsername;
        final String displayName;
        final String userAgent;
        final int registerExpires;
        final Duration t1;
        final Duration transactionTimeout;

        private Config(Builder b) {
            this.name = b.name;
            this.bindAddress = b.bindAddress;
            this.bindPort = b.bindPort;
            this.serverHost = b.serverHost;
            this.serverPort = b.serverPort;
            this.domain = b.domain != null ? b.domain : b.serverHost;
            this.username = b.username;
            this.password = b.password;
            this.authUsername = b.authUsername != null ? b.authUsername : b.username;
            this.displayName = b.displayName;
            this.userAgent = b.userAgent;
            this.registerExpires = b.registerExpires;
            this.t1 = b.t1;
            this.transactionTimeout = b.transactionTimeout;
        }

        public static Builder builder() {
            return new Builder();
        }

        public static final class Builder {
            private String name;
            private String bindAddress = "127.0.0.1";
            private int bindPort;
            private String serverHost;
            private int serverPort = 5060;
            private String domain;
            private String username;
            private String password;
            private String authUsername;
            private String displayName;
            private String userAgent = "callcenter-sipkit";
            private int registerExpires = 300;
            private Duration t1 = Duration.ofMillis(500);
            private Duration transactionTimeout = Duration.ofSeconds(10);

            /** Name used in logs and assertion messages; defaults to the username. */
            public Builder name(String name) {
                this.name = name;
                return this;
            }

            public Builder bindAddress(String bindAddress) {
                this.bindAddress = bindAddress;
                return this;
            }

            /** 0 picks an ephemeral port. */
            public Builder bindPort(int bindPort) {
                this.bindPort = bindPort;
                return this;
            }

            /** Registrar and outbound proxy: every out-of-dialog request goes there. */
            public Builder server(String host, int port) {
                this.serverHost = host;
                this.serverPort = port;
                return this;
            }

            /** Host part of our address-of-record and of dialled URIs; defaults to the server host. */
            public Builder domain(String domain) {
                this.domain = domain;
                return this;
            }

            /** User part of From/Contact (the caller id a carrier presents) and the digest user. */
            public Builder username(String username) {
                this.username = username;
                return this;
            }

            public Builder password(String password) {
                this.password = password;
                return this;
            }

            public Builder authUsername(String authUsername) {
                this.authUsername = authUsername;
                return this;
            }

            public Builder displayName(String displayName) {
                this.displayName = displayName;
                return this;
            }

            public Builder userAgent(String userAgent) {
                this.userAgent = userAgent;
                return this;
            }

            public Builder registerExpires(int seconds) {
                this.registerExpires = seconds;
                return this;
            }

            /** RFC 3261 T1, the first retransmission interval (500 ms). */
            public Builder t1(Duration t1) {
                this.t1 = t1;
                return this;
            }

            /** How long a request may go unanswered (RFC 3261 uses 64*T1 = 32 s; tests want a faster verdict). */
            public Builder transactionTimeout(Duration timeout) {
                this.transactionTimeout = timeout;
                return this;
            }

            public Config build() {
                Objects.requireNonNull(bindAddress, "bindAddress");
                return new Config(this);
            }
        }
    }

    /** A request we sent and its retransmission state (RFC 3261 §17.1, simplified). */
    final class ClientTx {
        final String key;
        final SipMessage request;
        final InetSocketAddress destination;
        final boolean invite;
        final Consumer<SipMessage> listener;
        final CompletableFuture<SipMessage> done = new CompletableFuture<>();
        boolean provisional;
        SipMessage finalResponse;
        SipMessage ack;
        long intervalMillis;
        long deadlineNanos;
        ScheduledFuture<?> timer;

        ClientTx(SipMessage request, InetSocketAddress destination, Consumer<SipMessage> listener) {
            this.key = request.branch() + " " + request.method();
            this.request = request;
            this.destination = destination;
            this.invite = request.method().equals("INVITE");
            this.listener = listener;
        }
    }

    /** A request we received, remembered so that its retransmissions get our last response again (§17.2). */
    final class ServerTx {
        final String key;
        final SipMessage request;
        final InetSocketAddress source;
        SipMessage lastResponse;
        SipCall owner;
        boolean acked;
        long intervalMillis;
        long deadlineNanos;
        ScheduledFuture<?> timer;

        ServerTx(String key, SipMessage request, InetSocketAddress source) {
            this.key = key;
            this.request = request;
            this.source = source;
        }

        boolean finalSent() {
            return lastResponse != null && lastResponse.status() >= 200;
        }
    }

    final Config config;
    final String name;
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    final SipTrace trace;
    final InetAddress bindAddress;
    private final DatagramSocket socket;
    private final ScheduledThreadPoolExecutor timers;
    private final Thread receiver;
    private final InetSocketAddress server;
    private final Map<String, ClientTx> clientTxs = new HashMap<>();
    private final Map<String, ServerTx> serverTxs = new LinkedHashMap<>();
    private final List<SipCall> calls = new ArrayList<>();
    /** Bodies of the NOTIFY requests received (e.g. message waiting), in order. */
    private final List<String> notifies = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Deque<SipCall> incoming = new ArrayDeque<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;

    private final String registerCallId;
    private final String registerTag;
    private long registerCseq;
    private boolean registered;
    private ScheduledFuture<?> registerRefresh;
    private String lastNonce;
    private int nonceCount;

    private SipPhone(Config config) {
        this.config = config;
        try {
            this.bindAddress = InetAddress.getByName(config.bindAddress);
            this.socket = new DatagramSocket(null);
            socket.bind(new InetSocketAddress(bindAddress, config.bindPort));
        } catch (SocketException | UnknownHostException e) {
            throw new UncheckedIOException("cannot bind SIP socket on " + config.bindAddress + ":" + config.bindPort, e);
        }
        this.name = config.name != null ? config.name
                : config.username != null ? config.username : config.bindAddress + ":" + socket.getLocalPort();
        this.trace = new SipTrace(name);
        this.server = config.serverHost == null ? null : new InetSocketAddress(config.serverHost, config.serverPort);
        this.registerCallId = newId() + "@" + config.bindAddress;
        this.registerTag = newTag();
        this.timers = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("sip-timer-" + name).factory());
        timers.setRemoveOnCancelPolicy(true);
        this.receiver = Thread.ofPlatform().daemon().name("sip-rx-" + name).start(this::receiveLoop);
        log.debug("[{}] SIP phone listening on {}:{}", name, config.bindAddress, socket.getLocalPort());
    }

    public static SipPhone start(Config config) {
        return new SipPhone(config);
    }

    public String name() {
        return name;
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    public InetSocketAddress localAddress() {
        return new InetSocketAddress(bindAddress, socket.getLocalPort());
    }

    /** The Contact URI other parties reach this phone at. */
    public String contactUri() {
        String user = config.username != null ? config.username + "@" : "";
        return "sip:" + user + hostPort();
    }

    /** Start lines of the last SIP messages sent and received, oldest first: for assertion messages. */
    public String lastMessages() {
        return trace.last(20);
    }

    // ------------------------------------------------------------------------------------------------ registration

    /** Registers (blocking), answering a 401/407 digest challenge; throws {@link SipException} on failure. */
    public void register() {
        SipMessage response = sendRegister(config.registerExpires, config.transactionTimeout.plusSeconds(1));
        if (response.status() / 100 != 2) {
            throw new SipException(response.status(), name + ": REGISTER failed with " + response.status() + " "
                    + response.reason() + "; last SIP messages:\n" + trace.last(12));
        }
        int granted = grantedExpires(response, config.registerExpires);
        lock.lock();
        try {
            registered = true;
            if (registerRefresh != null) {
                registerRefresh.cancel(false);
            }
            if (!closed && granted > 0) {
                // Refresh at half-life like real phones, so a long test never sees the registration lapse.
                long delay = Math.max(1, granted / 2);
                registerRefresh = timers.schedule(() -> Thread.ofVirtual().start(this::refreshRegistration), delay,
                        TimeUnit.SECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    private void refreshRegistration() {
        if (closing.get()) {
            return;
        }
        try {
            register();
        } catch (RuntimeException e) {
            log.warn("[{}] registration refresh failed: {}", name, e.getMessage());
        }
    }

    /** Removes our binding (REGISTER with expires 0); throws {@link SipException} on failure. */
    public void unregister() {
        lock.lock();
        try {
            if (registerRefresh != null) {
                registerRefresh.cancel(false);
                registerRefresh = null;
            }
        } finally {
            lock.unlock();
        }
        SipMessage response = sendRegister(0, config.transactionTimeout.plusSeconds(1));
        if (response.status() / 100 != 2) {
            throw new SipException(response.status(), name + ": un-REGISTER failed with " + response.status() + " "
                    + response.reason() + "; last SIP messages:\n" + trace.last(12));
        }
        lock.lock();
        try {
            registered = false;
        } finally {
            lock.unlock();
        }
    }

    public boolean isRegistered() {
        lock.lock();
        try {
            return registered;
        } finally {
            lock.unlock();
        }
    }

    private SipMessage sendRegister(int expires, Duration timeout) {
        if (server == null) {
            throw new IllegalStateException(name + ": no server configured to register with");
        }
        if (config.username == null) {
            throw new IllegalStateException(name + ": no username to register");
        }
        String uri = "sip:" + domainHostPort();
        String aor = "<sip:" + config.username + "@" + config.domain + ">";
        DigestAuth.Challenge challenge = null;
        boolean proxyChallenge = false;
        for (int attempt = 0; ; attempt++) {
            ClientTx tx;
            lock.lock();
            try {
                SipMessage request = SipMessage.request("REGISTER", uri)
                        .add("Via", via(newBranch()))
                        .add("Max-Forwards", "70")
                        .add("From", aor + ";tag=" + registerTag)
                        .add("To", aor)
                        .add("Call-ID", registerCallId)
                        .add("CSeq", ++registerCseq + " REGISTER")
                        .add("Contact", "<" + contactUri() + ">" + (expires == 0 ? ";expires=0" : ""))
                        .add("Expires", String.valueOf(expires))
                        .add("Allow", ALLOW)
                        .add("User-Agent", config.userAgent);
                if (challenge != null) {
                    request.add(proxyChallenge ? "Proxy-Authorization" : "Authorization",
                            authorization(challenge, "REGISTER", uri));
                }
                tx = sendRequest(request, server, r -> { });
            } finally {
                lock.unlock();
            }
            SipMessage response = await(tx.done, timeout);
            int status = response.status();
            if ((status == 401 || status == 407) && !response.local && config.password != null) {
                DigestAuth.Challenge next = pickChallenge(response);
                // A second challenge for fresh credentials means they were wrong, unless the nonce merely went stale.
                if (next != null && (attempt == 0 || next.stale())) {
                    challenge = next;
                    proxyChallenge = status == 407;
                    continue;
                }
            }
            return response;
        }
    }

    private int grantedExpires(SipMessage response, int requested) {
        for (String contact : response.headerValues("Contact")) {
            String uri = SipMessage.uriOf(contact);
            if (uri.contains(hostPort())) {
                String expires = SipMessage.param(contact, "expires");
                if (expires != null) {
                    return Integer.parseInt(expires);
                }
            }
        }
        String expires = response.header("Expires");
        return expires != null ? Integer.parseInt(expires.strip()) : requested;
    }

    DigestAuth.Challenge pickChallenge(SipMessage response) {
        String header = response.status() == 407 ? "Proxy-Authenticate" : "WWW-Authenticate";
        DigestAuth.Challenge fallback = null;
        for (String value : response.rawHeaders(header)) {
            DigestAuth.Challenge c = DigestAuth.Challenge.parse(value);
            if (c != null && c.supported()) {
                // Asterisk may offer SHA-256 and MD5 side by side; MD5 is what every peer verifies.
                if (c.algorithm().equalsIgnoreCase("MD5")) {
                    return c;
                }
                if (fallback == null) {
                    fallback = c;
                }
            }
        }
        return fallback;
    }

    /** Must hold the lock: the nonce count is per nonce and must grow with every use of the same nonce. */
    /** Waits for a NOTIFY whose body contains {@code text} (e.g. "Messages-Waiting: yes"); false if none came. */
    public boolean awaitNotify(String text, java.time.Duration timeout) {
        java.time.Instant deadline = java.time.Instant.now().plus(timeout);
        while (java.time.Instant.now().isBefore(deadline)) {
            if (notifies.stream().anyMatch(body -> body != null && body.contains(text))) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** The NOTIFY bodies received so far. */
    public List<String> notifies() {
        return List.copyOf(notifies);
    }

    String authorization(DigestAuth.Challenge challenge, String method, String uri) {
        if (challenge.nonce().equals(lastNonce)) {
            nonceCount++;
        } else {
            lastNonce = challenge.nonce();
            nonceCount = 1;
        }
        return DigestAuth.authorization(challenge, config.authUsername, config.password, method, uri, nonceCount,
                newId().substring(0, 16));
    }

    boolean canAuthenticate() {
        return config.password != null && config.authUsername != null;
    }

    // ------------------------------------------------------------------------------------------------------- calls

    /**
     * Calls {@code target}: a full {@code sip:} URI, {@code user@host}, or a bare number/extension which is dialled
     * at the domain. Returns at once; use the call's awaits.
     */
    public SipCall call(String target) {
        return call(target, Map.of());
    }

    /** As {@link #call(String)}, adding {@code headers} (e.g. P-Asserted-Identity, Diversion) to the INVITE. */
    public SipCall call(String target, Map<String, String> headers) {
        String requestUri;
        if (target.startsWith("sip:") || target.startsWith("sips:")) {
            requestUri = target;
        } else if (target.contains("@")) {
            requestUri = "sip:" + target;
        } else {
            if (config.domain == null) {
                throw new IllegalStateException(name + ": no server/domain configured to dial " + target);
            }
            requestUri = "sip:" + target + "@" + domainHostPort();
        }
        InetSocketAddress destination = server != null ? server : SipMessage.hostPortOf(requestUri);
        lock.lock();
        try {
            ensureOpen();
            SipCall call = SipCall.outgoing(this, requestUri, destination, headers);
            calls.add(call);
            return call;
        } finally {
            lock.unlock();
        }
    }

    /** Takes the oldest incoming call that is still alive (ringing or answered), waiting up to {@code timeout}. */
    public SipCall awaitIncomingCall(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                SipCall call = nextIncoming(true);
                if (call != null) {
                    return call;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(name + ": no incoming call within " + SipCall.format(timeout)
                            + missedIncoming() + "; last SIP messages:\n" + trace.last(15));
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(name + ": interrupted while waiting for an incoming call");
        } finally {
            lock.unlock();
        }
    }

    /** Whether an incoming call is waiting to be taken with {@link #awaitIncomingCall}. */
    public boolean hasIncomingCall() {
        lock.lock();
        try {
            return nextIncoming(false) != null;
        } finally {
            lock.unlock();
        }
    }

    /** All calls of this phone so far, oldest first. */
    public List<SipCall> calls() {
        lock.lock();
        try {
            return List.copyOf(calls);
        } finally {
            lock.unlock();
        }
    }

    private SipCall nextIncoming(boolean take) {
        // A call cancelled before the test looked is not "ringing" any more; it stays in calls() for inspection.
        incoming.removeIf(c -> c.state() == SipCall.State.ENDED);
        SipCall next = take ? incoming.pollFirst() : incoming.peekFirst();
        if (take && next != null) {
            next.taken = true;
        }
        return next;
    }

    private String missedIncoming() {
        long ended = calls.stream().filter(c -> c.direction() == SipCall.Direction.INCOMING && !c.taken
                && c.state() == SipCall.State.ENDED).count();
        return ended == 0 ? "" : " (" + ended + " incoming call(s) ended before being taken)";
    }

    // ------------------------------------------------------------------------------------------------ transactions

    /** Sends a request as a client transaction with T1-doubling retransmission. Caller holds the lock. */
    ClientTx sendRequest(SipMessage request, InetSocketAddress destination, Consumer<SipMessage> listener) {
        ClientTx tx = new ClientTx(request, destination, listener);
        clientTxs.put(tx.key, tx);
        tx.intervalMillis = config.t1.toMillis();
        tx.deadlineNanos = System.nanoTime() + config.transactionTimeout.toNanos();
        transmit(request, destination, false);
        if (!closed) {
            tx.timer = timers.schedule(() -> retransmit(tx), tx.intervalMillis, TimeUnit.MILLISECONDS);
        }
        return tx;
    }

    private void retransmit(ClientTx tx) {
        lock.lock();
        try {
            if (tx.finalResponse != null || closed) {
                return;
            }
            long now = System.nanoTime();
            if (now >= tx.deadlineNanos) {
                if (tx.invite && tx.provisional) {
                    // Once the callee rings, an INVITE may legitimately wait for its final answer indefinitely.
                    return;
                }
                timeout(tx);
                return;
            }
            if (!(tx.invite && tx.provisional)) {
                transmit(tx.request, tx.destination, true);
            }
            // INVITE doubles without bound, non-INVITE caps at T2 = 4 s, and after a provisional response it sends
            // only every T2 (RFC 3261 §17.1.2.2).
            long t2 = 4000;
            tx.intervalMillis = tx.invite ? tx.intervalMillis * 2
                    : tx.provisional ? t2 : Math.min(tx.intervalMillis * 2, t2);
            if (tx.invite && tx.provisional) {
                return;
            }
            long delay = Math.min(tx.intervalMillis, Math.max(1, (tx.deadlineNanos - now) / 1_000_000));
            tx.timer = timers.schedule(() -> retransmit(tx), delay, TimeUnit.MILLISECONDS);
        } finally {
            lock.unlock();
        }
    }

    private void timeout(ClientTx tx) {
        SipMessage timeout = SipMessage.response(408, "Request Timeout (no response)")
                .add("Call-ID", tx.request.callId())
                .add("CSeq", tx.request.header("CSeq"));
        timeout.local = true;
        trace.note("no response to " + tx.request.summary() + " within " + SipCall.format(config.transactionTimeout));
        complete(tx, timeout);
    }

    private void complete(ClientTx tx, SipMessage response) {
        tx.finalResponse = response;
        if (tx.timer != null) {
            tx.timer.cancel(false);
        }
        if (!closed) {
            // Keep the transaction a while to absorb retransmitted final responses (Timer D/K).
            timers.schedule(() -> forgetClientTx(tx), 32, TimeUnit.SECONDS);
        }
        try {
            tx.listener.accept(response);
        } finally {
            tx.done.complete(response);
            changed.signalAll();
        }
    }

    private void forgetClientTx(ClientTx tx) {
        lock.lock();
        try {
            clientTxs.remove(tx.key, tx);
        } finally {
            lock.unlock();
        }
    }

    private void onResponse(SipMessage response) {
        String method = response.cseqMethod();
        ClientTx tx = clientTxs.get(response.branch() + " " + method);
        if (tx == null) {
            // A 2xx to INVITE retransmitted after the transaction is gone: the dialog must ACK it again.
            if ("INVITE".equals(method) && response.status() / 100 == 2) {
                SipCall call = findCall(response.callId(), response.fromTag());
                if (call != null) {
                    call.onInviteResponse(response);
                }
            }
            return;
        }
        if (tx.finalResponse != null) {
            if (tx.invite && response.status() >= 300 && tx.ack != null) {
                // Our ACK was lost: the same ACK again (same branch, it belongs to the INVITE transaction).
                transmit(tx.ack, tx.destination, true);
            } else if (tx.invite && response.status() / 100 == 2) {
                tx.listener.accept(response);
            }
            return;
        }
        if (response.status() < 200) {
            tx.provisional = true;
            if (tx.invite && tx.timer != null) {
                tx.timer.cancel(false);
            }
            tx.listener.accept(response);
            changed.signalAll();
            return;
        }
        if (tx.invite && response.status() >= 300) {
            tx.ack = non2xxAck(tx.request, response);
            transmit(tx.ack, tx.destination, false);
        }
        complete(tx, response);
    }

    /** ACK for a failure response: part of the INVITE transaction, so same branch and Request-URI (§17.1.1.3). */
    private SipMessage non2xxAck(SipMessage invite, SipMessage response) {
        SipMessage ack = SipMessage.request("ACK", invite.requestUri())
                .add("Via", invite.header("Via"))
                .add("Max-Forwards", "70")
                .add("From", invite.header("From"))
                .add("To", response.header("To"))
                .add("Call-ID", invite.callId())
                .add("CSeq", invite.cseq() + " ACK");
        for (String route : invite.rawHeaders("Route")) {
            ack.add("Route", route);
        }
        return ack.add("User-Agent", config.userAgent);
    }

    /** Sends a response to a received request; a final response to INVITE is retransmitted until ACKed. */
    SipMessage respond(ServerTx tx, int status, String toTag, Consumer<SipMessage> customize) {
        SipMessage request = tx.request;
        SipMessage response = SipMessage.response(status, reasonPhrase(status));
        for (String via : request.rawHeaders("Via")) {
            response.add("Via", via);
        }
        String to = request.header("To");
        if (toTag != null && status > 100 && SipMessage.param(to, "tag") == null) {
            to = to + ";tag=" + toTag;
        }
        response.add("From", request.header("From"))
                .add("To", to)
                .add("Call-ID", request.callId())
                .add("CSeq", request.header("CSeq"));
        if (request.method().equals("INVITE") && status > 100 && status < 300) {
            // The callee echoes Record-Route so that both ends share one route set (§12.1.1).
            for (String rr : request.rawHeaders("Record-Route")) {
                response.add("Record-Route", rr);
            }
        }
        response.add("Server", config.userAgent);
        if (customize != null) {
            customize.accept(response);
        }
        tx.lastResponse = response;
        transmit(response, tx.source, false);
        if (status >= 200) {
            if (tx.timer != null) {
                tx.timer.cancel(false);
            }
            if (request.method().equals("INVITE") && !closed) {
                tx.intervalMillis = config.t1.toMillis();
                tx.deadlineNanos = System.nanoTime() + config.transactionTimeout.toNanos();
                tx.timer = timers.schedule(() -> retransmitResponse(tx), tx.intervalMillis, TimeUnit.MILLISECONDS);
            }
            if (!closed) {
                timers.schedule(() -> forgetServerTx(tx), 32, TimeUnit.SECONDS);
            }
        }
        changed.signalAll();
        return response;
    }

    private void retransmitResponse(ServerTx tx) {
        lock.lock();
        try {
            if (tx.acked || closed) {
                return;
            }
            long now = System.nanoTime();
            if (now >= tx.deadlineNanos) {
                trace.note("no ACK for " + tx.lastResponse.summary());
                if (tx.owner != null) {
                    tx.owner.onAckTimeout(tx);
                }
                return;
            }
            // UDP may lose our final response; only the ACK tells us it arrived (§13.3.1.4, §17.2.1).
            transmit(tx.lastResponse, tx.source, true);
            tx.intervalMillis = Math.min(tx.intervalMillis * 2, 4000);
            tx.timer = timers.schedule(() -> retransmitResponse(tx), tx.intervalMillis, TimeUnit.MILLISECONDS);
        } finally {
            lock.unlock();
        }
    }

    private void forgetServerTx(ServerTx tx) {
        lock.lock();
        try {
            serverTxs.remove(tx.key, tx);
        } finally {
            lock.unlock();
        }
    }

    private static String serverKey(SipMessage request, String method) {
        String branch = request.branch();
        if (branch != null && branch.startsWith("z9hG4bK")) {
            return branch + " " + method;
        }
        // RFC 2543 peers have no magic-cookie branch: fall back to the dialog-ish identifiers (§17.2.3).
        return request.callId() + "/" + request.fromTag() + "/" + request.cseq() + " " + method;
    }

    // ---------------------------------------------------------------------------------------------------- dispatch

    private void onRequest(SipMessage request, InetSocketAddress source) {
        String method = request.method();
        if (method.equals("ACK")) {
            onAck(request);
            return;
        }
        String key = serverKey(request, method);
        ServerTx existing = serverTxs.get(key);
        if (existing != null) {
            // A retransmission: the peer has not seen our answer yet (or we have none yet for an INVITE).
            if (existing.lastResponse != null) {
                transmit(existing.lastResponse, existing.source, true);
            }
            return;
        }
        ServerTx tx = new ServerTx(key, request, source);
        serverTxs.put(key, tx);
        String toTag = request.toTag();
        switch (method) {
            case "INVITE" -> {
                if (toTag == null) {
                    onNewInvite(request, tx, source);
                } else {
                    SipCall call = findCall(request.callId(), toTag);
                    if (call == null) {
                        respond(tx, 481, null, null);
                    } else {
                        call.onReInvite(tx);
                    }
                }
            }
            case "BYE" -> {
                SipCall call = findCall(request.callId(), toTag);
                if (call == null) {
                    respond(tx, 481, null, null);
                } else {
                    call.onBye(tx);
                }
            }
            case "CANCEL" -> {
                ServerTx invite = serverTxs.get(serverKey(request, "INVITE"));
                if (invite == null) {
                    respond(tx, 481, null, null);
                } else {
                    respond(tx, 200, invite.owner != null ? invite.owner.localTag : null, null);
                    if (invite.owner != null) {
                        invite.owner.onCancel();
                    }
                }
            }
            case "UPDATE" -> {
                SipCall call = toTag == null ? null : findCall(request.callId(), toTag);
                if (call == null) {
                    respond(tx, 481, null, null);
                } else {
                    call.onUpdate(tx);
                }
            }
            // Asterisk qualifies contacts with OPTIONS and may send NOTIFY (e.g. MWI) unasked: always accept.
            case "OPTIONS" -> respond(tx, 200, newTag(), r -> r.add("Allow", ALLOW)
                    .add("Accept", "application/sdp").add("Contact", "<" + contactUri() + ">"));
            case "NOTIFY", "INFO", "MESSAGE", "PRACK" -> {
                if (method.equals("NOTIFY")) {
                    notifies.add(request.bodyText());
                }
                respond(tx, 200, toTag == null ? newTag() : null, null);
            }
            default -> respond(tx, 501, newTag(), r -> r.add("Allow", ALLOW));
        }
    }

    private void onNewInvite(SipMessage request, ServerTx tx, InetSocketAddress source) {
        for (SipCall call : calls) {
            if (call.isSameInitialInvite(request)) {
                // Same INVITE arriving with a different branch (e.g. via another path): not a second call.
                if (call.inviteServerTx().lastResponse != null) {
                    transmit(call.inviteServerTx().lastResponse, source, true);
                }
                serverTxs.remove(tx.key);
                return;
            }
        }
        Sdp offer = null;
        if (request.body().length > 0) {
            try {
                offer = Sdp.parse(request.bodyText());
            } catch (RuntimeException e) {
                offer = null;
            }
            if (offer == null || !offer.offersPcmu()) {
                respond(tx, 488, newTag(), r -> r.add("Warning", "304 sipkit \"only PCMU is supported\""));
                return;
            }
        }
        if (closing.get()) {
            respond(tx, 480, newTag(), null);
            return;
        }
        SipCall call = SipCall.incoming(this, tx, source, offer);
        calls.add(call);
        incoming.addLast(call);
        changed.signalAll();
    }

    private void onAck(SipMessage ack) {
        // A non-2xx ACK shares the INVITE's branch; a 2xx ACK is its own transaction, matched by Call-ID and CSeq.
        for (ServerTx tx : serverTxs.values()) {
            if (tx.request.method().equals("INVITE") && tx.request.callId().equals(ack.callId())
                    && tx.request.cseq() == ack.cseq() && !tx.acked) {
                tx.acked = true;
                if (tx.timer != null) {
                    tx.timer.cancel(false);
                }
            }
        }
        SipCall call = findCall(ack.callId(), ack.toTag());
        if (call != null) {
            call.onAck(ack);
        }
        changed.signalAll();
    }

    /** The call whose dialog has {@code localTag} as our tag (To-tag of requests to us, From-tag of responses). */
    SipCall findCall(String callId, String localTag) {
        if (callId == null || localTag == null) {
            return null;
        }
        for (SipCall call : calls) {
            if (call.callId.equals(callId) && call.localTag.equals(localTag)) {
                return call;
            }
        }
        return null;
    }

    // --------------------------------------------------------------------------------------------------- transport

    void transmit(SipMessage message, InetSocketAddress destination, boolean retransmission) {
        if (closed) {
            return;
        }
        byte[] bytes = message.toBytes();
        trace.sent(message, destination, retransmission);
        try {
            socket.send(new DatagramPacket(bytes, bytes.length, destination));
        } catch (IOException e) {
            log.warn("[{}] SIP send to {} failed: {}", name, destination, e.toString());
        }
    }

    private void receiveLoop() {
        byte[] buffer = new byte[65535];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!closed) {
            try {
                packet.setLength(buffer.length);
                socket.receive(packet);
            } catch (IOException e) {
                if (!closed) {
                    log.warn("[{}] SIP receive failed: {}", name, e.toString());
                }
                continue;
            }
            int length = packet.getLength();
            if (isKeepAlive(buffer, length)) {
                continue;
            }
            InetSocketAddress source = (InetSocketAddress) packet.getSocketAddress();
            SipMessage message;
            try {
                message = SipMessage.parse(Arrays.copyOf(buffer, length), length);
            } catch (RuntimeException e) {
                log.warn("[{}] unparseable SIP datagram from {} ({}): {}", name, source, e.getMessage(),
                        new String(buffer, 0, Math.min(length, 200), java.nio.charset.StandardCharsets.UTF_8));
                continue;
            }
            lock.lock();
            try {
                if (closed) {
                    break;
                }
                trace.received(message, source);
                if (message.isRequest()) {
                    onRequest(message, source);
                } else {
                    onResponse(message);
                }
            } catch (RuntimeException e) {
                log.warn("[{}] failed to handle {}", name, message.summary(), e);
            } finally {
                lock.unlock();
            }
        }
    }

    private static boolean isKeepAlive(byte[] data, int length) {
        // RFC 5626 CRLF keep-alives carry no message.
        for (int i = 0; i < length; i++) {
            if (data[i] != '\r' && data[i] != '\n' && data[i] != ' ' && data[i] != 0) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------------------ close

    /**
     * Hangs up live calls (BYE, CANCEL, or 603 for unanswered incoming ones), removes the registration, waits up to
     * about two seconds for those to be answered so that the far end has really let go, then closes all sockets.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        boolean wasRegistered;
        lock.lock();
        try {
            if (registerRefresh != null) {
                registerRefresh.cancel(false);
            }
            for (SipCall call : List.copyOf(calls)) {
                call.terminate();
            }
            wasRegistered = registered;
        } finally {
            lock.unlock();
        }
        if (wasRegistered) {
            try {
                SipMessage response = sendRegister(0, Duration.ofSeconds(2));
                if (response.status() / 100 != 2) {
                    log.debug("[{}] un-REGISTER on close answered {}", name, response.status());
                }
            } catch (RuntimeException e) {
                log.debug("[{}] un-REGISTER on close failed: {}", name, e.getMessage());
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        lock.lock();
        try {
            while (hasPendingHangups()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left);
            }
            closed = true;
            registered = false;
            for (ClientTx tx : clientTxs.values()) {
                if (tx.timer != null) {
                    tx.timer.cancel(false);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            lock.unlock();
        }
        timers.shutdownNow();
        socket.close();
        try {
            receiver.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SipCall call : calls()) {
            call.releaseMedia();
        }
        log.debug("[{}] SIP phone closed", name);
    }

    private boolean hasPendingHangups() {
        for (Iterator<ClientTx> it = clientTxs.values().iterator(); it.hasNext(); ) {
            ClientTx tx = it.next();
            String method = tx.request.method();
            // Every call was just terminated, so an INVITE still open is one being cancelled: wait for its 487.
            if (tx.finalResponse == null && (method.equals("BYE") || method.equals("CANCEL") || method.equals("INVITE"))) {
                return true;
            }
        }
        return false;
    }

    private void ensureOpen() {
        if (closing.get()) {
            throw new IllegalStateException(name + ": phone is closed");
        }
    }

    // ----------------------------------------------------------------------------------------------------- helpers

    String hostPort() {
        return config.bindAddress + ":" + socket.getLocalPort();
    }

    private String domainHostPort() {
        // Dialled URIs name the server's port too, so a non-5060 test peer needs no DNS SRV or defaults.
        return server != null && config.domain.equals(config.serverHost) && config.serverPort != 5060
                ? config.domain + ":" + config.serverPort : config.domain;
    }

    String via(String branch) {
        // rport (RFC 3581) asks the peer to answer to the port the request really came from.
        return "SIP/2.0/UDP " + hostPort() + ";branch=" + branch + ";rport";
    }

    String localUri() {
        String user = config.username != null ? config.username : "sipkit";
        String host = config.domain != null ? config.domain : config.bindAddress;
        return "sip:" + user + "@" + host;
    }

    String localNameAddr(String tag) {
        String display = config.displayName != null ? "\"" + config.displayName.replace("\"", "") + "\" " : "";
        return display + "<" + localUri() + ">;tag=" + tag;
    }

    static String newBranch() {
        // The magic cookie marks RFC 3261 branches that are unique per transaction (§8.1.1.7).
        return "z9hG4bK" + newId().substring(0, 20);
    }

    static String newTag() {
        return newId().substring(0, 12);
    }

    static String newId() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static String reasonPhrase(int status) {
        return switch (status) {
            case 100 -> "Trying";
            case 180 -> "Ringing";
            case 181 -> "Call Is Being Forwarded";
            case 182 -> "Queued";
            case 183 -> "Session Progress";
            case 200 -> "OK";
            case 202 -> "Accepted";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 408 -> "Request Timeout";
            case 410 -> "Gone";
            case 480 -> "Temporarily Unavailable";
            case 481 -> "Call/Transaction Does Not Exist";
            case 482 -> "Loop Detected";
            case 484 -> "Address Incomplete";
            case 486 -> "Busy Here";
            case 487 -> "Request Terminated";
            case 488 -> "Not Acceptable Here";
            case 491 -> "Request Pending";
            case 500 -> "Server Internal Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Server Time-out";
            case 600 -> "Busy Everywhere";
            case 603 -> "Decline";
            case 604 -> "Does Not Exist Anywhere";
            case 606 -> "Not Acceptable";
            default -> status < 200 ? "Session Progress" : status < 300 ? "OK" : "Error";
        };
    }

    private static SipMessage await(CompletableFuture<SipMessage> future, Duration timeout) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            SipMessage timedOut = SipMessage.response(408, "Request Timeout (no response)");
            timedOut.local = true;
            return timedOut;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SipException(408, "interrupted");
        } catch (ExecutionException e) {
            throw new SipException(500, e.getCause().toString());
        }
    }

    @Override
    public String toString() {
        return "SipPhone[" + name + " @ " + hostPort() + "]";
    }
}
