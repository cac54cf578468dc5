package io.callcenter.testkit.sip;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A minimal SIP user agent over UDP (RFC 3261 subset) for tests: registers with digest auth, places and answers
 * calls, and runs PCMU RTP per call. All protocol state of the phone and its calls is guarded by one lock, so the
 * receive thread, the retransmission timer and test threads never see a half-updated dialog.
 *
 * <p>The layers, each in its own class: {@link SipTransport} (the UDP socket), {@link SipTransactions}
 * (retransmission, RFC 3261 §17), {@link SipRegistration} (REGISTER and digest credentials), {@link SipDialogs}
 * (which call a request belongs to, incoming calls), and per call {@link SipCall} (the test's handle),
 * {@link SipDialog} (its INVITE dialog) and {@link CallAudio} (its RTP audio and tone checks).
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


    final Config config;
    final String name;
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    final SipTrace trace;
    final InetAddress bindAddress;
    /** Registrar and outbound proxy; null for a phone that only answers. */
    final InetSocketAddress server;
    final ScheduledThreadPoolExecutor timers;
    final SipTransport transport;
    final SipTransactions transactions;
    final SipRegistration registration;
    final SipDialogs dialogs;
    final AtomicBoolean closing = new AtomicBoolean();
    volatile boolean closed;

    private SipPhone(Config config) {
        this.config = config;
        try {
            this.bindAddress = InetAddress.getByName(config.bindAddress);
        } catch (UnknownHostException e) {
            throw new UncheckedIOException("cannot bind SIP socket on " + config.bindAddress + ":" + config.bindPort, e);
        }
        this.transport = new SipTransport(this, bindAddress);
        this.name = config.name != null ? config.name
                : config.username != null ? config.username : config.bindAddress + ":" + transport.localPort();
        this.trace = new SipTrace(name);
        this.server = config.serverHost == null ? null : new InetSocketAddress(config.serverHost, config.serverPort);
        this.transactions = new SipTransactions(this);
        this.registration = new SipRegistration(this);
        this.dialogs = new SipDialogs(this);
        this.timers = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("sip-timer-" + name).factory());
        timers.setRemoveOnCancelPolicy(true);
        transport.start(name);
        log.debug("[{}] SIP phone listening on {}:{}", name, config.bindAddress, transport.localPort());
    }

    public static SipPhone start(Config config) {
        return new SipPhone(config);
    }

    public String name() {
        return name;
    }

    public int localPort() {
        return transport.localPort();
    }

    public InetSocketAddress localAddress() {
        return new InetSocketAddress(bindAddress, transport.localPort());
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
        registration.register();
    }

    /** Removes our binding (REGISTER with expires 0); throws {@link SipException} on failure. */
    public void unregister() {
        registration.unregister();
    }

    public boolean isRegistered() {
        return locked(registration::registered);
    }

    /** Waits for a NOTIFY whose body contains {@code text} (e.g. "Messages-Waiting: yes"); false if none came. */
    public boolean awaitNotify(String text, Duration timeout) {
        return dialogs.awaitNotify(text, timeout);
    }

    /** The NOTIFY bodies received so far. */
    public List<String> notifies() {
        return dialogs.notifies();
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
            dialogs.add(call);
            return call;
        } finally {
            lock.unlock();
        }
    }

    /** Takes the oldest incoming call that is still alive (ringing or answered), waiting up to {@code timeout}. */
    public SipCall awaitIncomingCall(Duration timeout) {
        return locked(() -> dialogs.awaitIncoming(timeout));
    }

    /** Whether an incoming call is waiting to be taken with {@link #awaitIncomingCall}. */
    public boolean hasIncomingCall() {
        return locked(dialogs::hasIncoming);
    }

    /** All calls of this phone so far, oldest first. */
    public List<SipCall> calls() {
        return locked(dialogs::all);
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
            registration.stopRefreshing();
            for (SipCall call : dialogs.all()) {
                call.dialog.terminate();
            }
            wasRegistered = registration.registered();
        } finally {
            lock.unlock();
        }
        registration.unregisterQuietly(wasRegistered);
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        lock.lock();
        try {
            while (transactions.hangupsPending()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left);
            }
            closed = true;
            registration.forget();
            transactions.stopRetransmissions();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            lock.unlock();
        }
        timers.shutdownNow();
        transport.close();
        for (SipCall call : calls()) {
            call.releaseMedia();
        }
        log.debug("[{}] SIP phone closed", name);
    }

    private void ensureOpen() {
        if (closing.get()) {
            throw new IllegalStateException(name + ": phone is closed");
        }
    }

    // ----------------------------------------------------------------------------------------------------- helpers

    String hostPort() {
        return config.bindAddress + ":" + transport.localPort();
    }

    String domainHostPort() {
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

    <T> T locked(java.util.function.Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "SipPhone[" + name + " @ " + hostPort() + "]";
    }
}
