package io.callcenter.testkit.sip;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A phone's registration (REGISTER with digest auth, refreshed at half-life) and its digest credentials, which its
 * calls use too when an INVITE is challenged.
 */
final class SipRegistration {

    private static final Logger log = LoggerFactory.getLogger(SipRegistration.class);

    private final SipPhone phone;
    private final String callId;
    private final String tag;
    private long cseq;
    private boolean registered;
    private ScheduledFuture<?> refresh;
    private String lastNonce;
    private int nonceCount;

    SipRegistration(SipPhone phone) {
        this.phone = phone;
        this.callId = SipMessage.newId() + "@" + phone.config.bindAddress;
        this.tag = SipMessage.newTag();
    }

    /** Registers (blocking), answering a 401/407 digest challenge; throws {@link SipException} on failure. */
    void register() {
        SipPhone.Config config = phone.config;
        SipMessage response = send(config.registerExpires, config.transactionTimeout.plusSeconds(1));
        if (response.status() / 100 != 2) {
            throw new SipException(response.status(), phone.name + ": REGISTER failed with " + response.status() + " "
                    + response.reason() + "; last SIP messages:\n" + phone.trace.last(12));
        }
        int granted = grantedExpires(response, config.registerExpires);
        phone.lock.lock();
        try {
            registered = true;
            if (refresh != null) {
                refresh.cancel(false);
            }
            if (!phone.closed && granted > 0) {
                // Refresh at half-life like real phones, so a long test never sees the registration lapse.
                long delay = Math.max(1, granted / 2);
                refresh = phone.timers.schedule(() -> Thread.ofVirtual().start(this::refresh), delay, TimeUnit.SECONDS);
            }
        } finally {
            phone.lock.unlock();
        }
    }

    private void refresh() {
        if (phone.closing.get()) {
            return;
        }
        try {
            register();
        } catch (RuntimeException e) {
            log.warn("[{}] registration refresh failed: {}", phone.name, e.getMessage());
        }
    }

    /** Removes our binding (REGISTER with expires 0); throws {@link SipException} on failure. */
    void unregister() {
        phone.lock.lock();
        try {
            stopRefreshing();
        } finally {
            phone.lock.unlock();
        }
        SipMessage response = send(0, phone.config.transactionTimeout.plusSeconds(1));
        if (response.status() / 100 != 2) {
            throw new SipException(response.status(), phone.name + ": un-REGISTER failed with " + response.status()
                    + " " + response.reason() + "; last SIP messages:\n" + phone.trace.last(12));
        }
        phone.lock.lock();
        try {
            registered = false;
        } finally {
            phone.lock.unlock();
        }
    }

    /** Caller holds the lock. */
    boolean registered() {
        return registered;
    }

    /** Caller holds the lock. */
    void stopRefreshing() {
        if (refresh != null) {
            refresh.cancel(false);
            refresh = null;
        }
    }

    /** On close: removes the binding if there is one, without failing the close; waits at most about 2 s. */
    void unregisterQuietly(boolean wasRegistered) {
        if (!wasRegistered) {
            return;
        }
        try {
            SipMessage response = send(0, Duration.ofSeconds(2));
            if (response.status() / 100 != 2) {
                log.debug("[{}] un-REGISTER on close answered {}", phone.name, response.status());
            }
        } catch (RuntimeException e) {
            log.debug("[{}] un-REGISTER on close failed: {}", phone.name, e.getMessage());
        }
    }

    /** Caller holds the lock (the phone is closed). */
    void forget() {
        registered = false;
    }

    private SipMessage send(int expires, Duration timeout) {
        SipPhone.Config config = phone.config;
        if (phone.server == null) {
            throw new IllegalStateException(phone.name + ": no server configured to register with");
        }
        if (config.username == null) {
            throw new IllegalStateException(phone.name + ": no username to register");
        }
        String uri = "sip:" + phone.domainHostPort();
        String aor = "<sip:" + config.username + "@" + config.domain + ">";
        DigestAuth.Challenge challenge = null;
        boolean proxyChallenge = false;
        for (int attempt = 0; ; attempt++) {
            SipTransactions.ClientTx tx;
            phone.lock.lock();
            try {
                SipMessage request = SipMessage.request("REGISTER", uri)
                        .add("Via", phone.via(SipMessage.newBranch()))
                        .add("Max-Forwards", "70")
                        .add("From", aor + ";tag=" + tag)
                        .add("To", aor)
                        .add("Call-ID", callId)
                        .add("CSeq", ++cseq + " REGISTER")
                        .add("Contact", "<" + phone.contactUri() + ">" + (expires == 0 ? ";expires=0" : ""))
                        .add("Expires", String.valueOf(expires))
                        .add("Allow", SipPhone.ALLOW)
                        .add("User-Agent", config.userAgent);
                if (challenge != null) {
                    request.add(proxyChallenge ? "Proxy-Authorization" : "Authorization",
                            authorization(challenge, "REGISTER", uri));
                }
                tx = phone.transactions.sendRequest(request, phone.server, r -> { });
            } finally {
                phone.lock.unlock();
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
            if (uri.contains(phone.hostPort())) {
                String expires = SipMessage.param(contact, "expires");
                if (expires != null) {
                    return Integer.parseInt(expires);
                }
            }
        }
        String expires = response.header("Expires");
        return expires != null ? Integer.parseInt(expires.strip()) : requested;
    }

    // ---------------------------------------------------------------------------------------------------- digest

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
    String authorization(DigestAuth.Challenge challenge, String method, String uri) {
        if (challenge.nonce().equals(lastNonce)) {
            nonceCount++;
        } else {
            lastNonce = challenge.nonce();
            nonceCount = 1;
        }
        return DigestAuth.authorization(challenge, phone.config.authUsername, phone.config.password, method, uri,
                nonceCount, SipMessage.newId().substring(0, 16));
    }

    boolean canAuthenticate() {
        return phone.config.password != null && phone.config.authUsername != null;
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
}
