package io.callcenter.testkit.sip;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One call (an INVITE dialog) of a {@link SipPhone}, outgoing or incoming, with its RTP audio. Thread-safe: all
 * state is guarded by the phone's lock. Awaits fail with an {@link AssertionError} that quotes the phone's recent
 * SIP trace.
 */
public final class SipCall {

    private static final Logger log = LoggerFactory.getLogger(SipCall.class);
    /** -10 dBFS leaves headroom for a conference mixer summing three parties without clipping. */
    public static final double DEFAULT_TONE_DBFS = -10.0;
    public static final Duration DEFAULT_WINDOW = Duration.ofMillis(500);

    public enum Direction { OUTGOING, INCOMING }

    /**
     * CALLING: INVITE sent, nothing beyond 100 yet. INCOMING: INVITE received, we said nothing but 100.
     * RINGING: 180/183 received (outgoing) or sent (incoming). ANSWERED: 200 received/sent. ENDED: over.
     */
    public enum State { CALLING, INCOMING, RINGING, ANSWERED, ENDED }

    /**
     * REJECTED: the peer answered our INVITE with 3xx-6xx ({@link #finalStatus()}). FAILED: no usable answer at all
     * (timeout = 408, a challenge we cannot meet, an incoming 200 never ACKed). LOCAL_REJECT: we refused an incoming
     * call (reject(), or hangup() before answering = 603).
     */
    public enum EndReason { LOCAL_BYE, REMOTE_BYE, LOCAL_CANCEL, REMOTE_CANCEL, LOCAL_REJECT, REJECTED, FAILED }

    private final SipPhone phone;
    private final Direction direction;
    final String callId;
    final String localTag;
    private final RtpSession rtp;
    private final String requestUri;
    private final long sdpSessionId = System.currentTimeMillis();
    private final InetSocketAddress firstHop;
    private String localSdp;
    private String localNameAddr;
    private String remoteNameAddr;
    private String remoteTag;
    private String remoteTarget;
    private List<String> routeSet = List.of();
    private long localCseq;
    private long remoteCseq;
    private Sdp remoteSdp;

    // Outgoing only.
    private final Map<String, String> extraHeaders;
    private SipMessage invite;
    private SipMessage lastResponse;
    private SipMessage ack;
    private boolean provisionalSeen;
    private boolean pendingCancel;
    private int authAttempts;

    // Incoming only.
    private final SipMessage receivedInvite;
    private final SipPhone.ServerTx inviteServerTx;
    private boolean ackReceived;
    private boolean pendingBye;
    boolean taken;

    private State state;
    private EndReason endReason;
    private int finalStatus;
    private boolean ringingSeen;
    private Instant answeredAt;
    private Instant endedAt;

    private SipCall(SipPhone phone, Direction direction, String callId, String requestUri, InetSocketAddress firstHop,
                    Map<String, String> extraHeaders, SipMessage receivedInvite, SipPhone.ServerTx inviteServerTx) {
        this.phone = phone;
        this.direction = direction;
        this.callId = callId;
        this.localTag = SipPhone.newTag();
        this.requestUri = requestUri;
        this.firstHop = firstHop;
        this.extraHeaders = extraHeaders;
        this.receivedInvite = receivedInvite;
        this.inviteServerTx = inviteServerTx;
        this.rtp = new RtpSession(phone.name + "-" + callId.substring(0, Math.min(6, callId.length())),
                phone.bindAddress);
        this.state = direction == Direction.OUTGOING ? State.CALLING : State.INCOMING;
    }

    /** Creates and sends the INVITE. Caller holds the phone lock. */
    static SipCall outgoing(SipPhone phone, String requestUri, InetSocketAddress destination,
                            Map<String, String> headers) {
        String callId = SipPhone.newId() + "@" + phone.config.bindAddress;
        SipCall call = new SipCall(phone, Direction.OUTGOING, callId, requestUri, destination, Map.copyOf(headers),
                null, null);
        call.localNameAddr = phone.localNameAddr(call.localTag);
        call.remoteNameAddr = "<" + requestUri + ">";
        call.remoteTarget = requestUri;
        call.localSdp = Sdp.build(phone.config.bindAddress, call.rtp.localPort(), call.sdpSessionId, 1,
                Sdp.DEFAULT_TELEPHONE_EVENT);
        call.localCseq = 1;
        call.sendInvite(null, false);
        return call;
    }

    /** Takes over a new incoming INVITE and says 100 Trying. Caller holds the phone lock. */
    static SipCall incoming(SipPhone phone, SipPhone.ServerTx tx, InetSocketAddress source, Sdp offer) {
        SipMessage invite = tx.request;
        SipCall call = new SipCall(phone, Direction.INCOMING, invite.callId(), invite.requestUri(), source, Map.of(),
                invite, tx);
        tx.owner = call;
        call.remoteTag = invite.fromTag();
        call.remoteNameAddr = invite.header("From");
        call.localNameAddr = invite.header("To") + ";tag=" + call.localTag;
        String contact = invite.header("Contact");
        call.remoteTarget = contact != null ? SipMessage.uriOf(contact)
                : "sip:" + source.getAddress().getHostAddress() + ":" + source.getPort();
        call.routeSet = invite.headerValues("Record-Route");
        call.remoteCseq = invite.cseq();
        int eventPt = offer == null ? Sdp.DEFAULT_TELEPHONE_EVENT : offer.telephoneEventPt();
        call.localSdp = Sdp.build(phone.config.bindAddress, call.rtp.localPort(), call.sdpSessionId, 1, eventPt);
        if (offer != null) {
            call.applyRemoteSdp(offer);
        }
        // 100 at once stops the caller's INVITE retransmissions while the test decides what to do (§8.2.6.1).
        phone.respond(tx, 100, null, null);
        phone.trace.note("incoming call " + call.callId + " from " + call.fromUser());
        return call;
    }

    // ------------------------------------------------------------------------------------------------- inspection

    public Direction direction() {
        return direction;
    }

    public String callId() {
        return callId;
    }

    public SipPhone phone() {
        return phone;
    }

    public State state() {
        return locked(() -> state);
    }

    /** Null while the call is alive. */
    public EndReason endReason() {
        return locked(() -> endReason);
    }

    /** Final response code of the INVITE (received for outgoing, sent for incoming calls); 0 while none. */
    public int finalStatus() {
        return locked(() -> finalStatus);
    }

    public Instant answeredAt() {
        return locked(() -> answeredAt);
    }

    public Instant endedAt() {
        return locked(() -> endedAt);
    }

    /** Request-URI of the INVITE: what was dialled. */
    public String requestUri() {
        return requestUri;
    }

    /**
     * A header of the received INVITE (incoming call) or of the latest response to our INVITE (outgoing call);
     * null when absent. Compact and case-insensitive names work.
     */
    public String header(String name) {
        return locked(() -> {
            SipMessage source = direction == Direction.INCOMING ? receivedInvite : lastResponse;
            return source == null ? null : String.join(", ", source.rawHeaders(name)).transform(v -> v.isEmpty() ? null : v);
        });
    }

    /** All values of a header, list headers split per element (see {@link #header}). */
    public List<String> headers(String name) {
        return locked(() -> {
            SipMessage source = direction == Direction.INCOMING ? receivedInvite : lastResponse;
            return source == null ? List.of() : source.headerValues(name);
        });
    }

    /** User part of the INVITE's From URI: the caller's number for an incoming call. */
    public String fromUser() {
        return locked(() -> {
            String from = direction == Direction.INCOMING ? receivedInvite.header("From") : invite.header("From");
            return SipMessage.userOf(SipMessage.uriOf(from));
        });
    }

    // ----------------------------------------------------------------------------------------------------- awaits

    /** Waits until 180/183 was received (outgoing) or sent (incoming). */
    public void awaitRinging(Duration timeout) {
        await(timeout, "ringing", () -> ringingSeen, () -> state == State.ENDED || state == State.ANSWERED);
    }

    /** Waits until the call was answered (it may have ended since). */
    public void awaitAnswered(Duration timeout) {
        await(timeout, "answered", () -> answeredAt != null, () -> state == State.ENDED);
    }

    public void awaitEnded(Duration timeout) {
        await(timeout, "ended", () -> state == State.ENDED, () -> false);
    }

    private void await(Duration timeout, String what, BooleanSupplier done, BooleanSupplier impossible) {
        long deadline = System.nanoTime() + timeout.toNanos();
        phone.lock.lock();
        try {
            while (!done.getAsBoolean()) {
                if (impossible.getAsBoolean()) {
                    throw new AssertionError(phone.name + ": " + this + " can no longer become " + what
                            + "; last SIP messages:\n" + phone.trace.last(15));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(phone.name + ": " + this + " not " + what + " within " + format(timeout)
                            + "; last SIP messages:\n" + phone.trace.last(15));
                }
                phone.changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(phone.name + ": interrupted while waiting for " + this + " to be " + what);
        } finally {
            phone.lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------- incoming side

    /** Sends 180 Ringing. */
    public void ringing() {
        phone.lock.lock();
        try {
            requireUnansweredIncoming("ringing()");
            phone.respond(inviteServerTx, 180, localTag, r -> r.add("Contact", "<" + phone.contactUri() + ">"));
            state = State.RINGING;
            ringingSeen = true;
        } finally {
            phone.lock.unlock();
        }
    }

    /** Sends 200 OK with our SDP answer (or offer, if the INVITE had none) and starts sending audio. */
    public void answer() {
        phone.lock.lock();
        try {
            requireUnansweredIncoming("answer()");
            phone.respond(inviteServerTx, 200, localTag, r -> r.add("Contact", "<" + phone.contactUri() + ">")
                    .add("Allow", SipPhone.ALLOW).body("application/sdp", localSdp));
            finalStatus = 200;
            answered();
        } finally {
            phone.lock.unlock();
        }
    }

    /** Refuses the incoming call with a final error status (e.g. 486 Busy Here, 603 Decline). */
    public void reject(int status) {
        if (status < 300 || status > 699) {
            throw new IllegalArgumentException("not a failure status: " + status);
        }
        phone.lock.lock();
        try {
            requireUnansweredIncoming("reject()");
            phone.respond(inviteServerTx, status, localTag, null);
            end(EndReason.LOCAL_REJECT, status);
        } finally {
            phone.lock.unlock();
        }
    }

    private void requireUnansweredIncoming(String action) {
        if (direction != Direction.INCOMING) {
            throw new IllegalStateException(action + " is for incoming calls; this is " + this);
        }
        if (state != State.INCOMING && state != State.RINGING) {
            throw new IllegalStateException(phone.name + ": cannot " + action + " " + this + "; last SIP messages:\n"
                    + phone.trace.last(10));
        }
    }

    // ----------------------------------------------------------------------------------------------------- hangup

    /**
     * Ends the call from our side: BYE when answered, CANCEL while an outgoing call is unanswered, 603 Decline for an
     * unanswered incoming call. No-op when already ended. Does not wait for the peer's response.
     */
    public void hangup() {
        phone.lock.lock();
        try {
            terminate();
        } finally {
            phone.lock.unlock();
        }
    }

    /** Caller holds the lock. */
    void terminate() {
        switch (state) {
            case ENDED -> { }
            case CALLING, RINGING, INCOMING -> {
                if (direction == Direction.INCOMING) {
                    phone.respond(inviteServerTx, 603, localTag, null);
                    end(EndReason.LOCAL_REJECT, 603);
                } else {
                    // CANCEL may only follow a provisional response: before that the peer might not know the
                    // INVITE yet and the CANCEL could overtake it (§9.1).
                    if (provisionalSeen) {
                        sendCancel();
                    } else {
                        pendingCancel = true;
                    }
                    end(EndReason.LOCAL_CANCEL, 0);
                }
            }
            case ANSWERED -> {
                if (direction == Direction.INCOMING && !ackReceived) {
                    // The callee must not BYE before the ACK, or the BYE may overtake the 200 it refers to (§15).
                    pendingBye = true;
                } else {
                    sendBye();
                }
                end(EndReason.LOCAL_BYE, 0);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------ audio

    /** Sends a sine at {@value #DEFAULT_TONE_DBFS} dBFS from answer on (immediately if already answered). */
    public void playTone(double hz) {
        playTone(hz, DEFAULT_TONE_DBFS);
    }

    public void playTone(double hz, double dbfs) {
        if (hz <= 0 || hz >= ToneDetector.SAMPLE_RATE / 2.0) {
            throw new IllegalArgumentException("tone must be between 0 and 4000 Hz: " + hz);
        }
        rtp.tone(hz, dbfs);
    }

    /** Keeps sending frames, but of digital silence. */
    public void playSilence() {
        rtp.silence();
    }

    /** Stops sending RTP altogether (a media gap, as a muted phone with silence suppression would). */
    public void stopAudio() {
        rtp.mute();
    }

    /** Queues RFC 4733 telephone-events (100 ms each, 60 ms apart) for the given digits (0-9 * # A-D). */
    public void sendDtmf(CharSequence digits) {
        for (int i = 0; i < digits.length(); i++) {
            rtp.dtmf(digits.charAt(i));
        }
    }

    public void sendDtmf(char digit) {
        rtp.dtmf(digit);
    }

    /** Digits received as RFC 4733 telephone-events so far. */
    public String receivedDtmf() {
        return rtp.receivedDtmf();
    }

    public AudioStats audioStats() {
        return rtp.stats();
    }

    /** Decoded audio received during the last {@code window} of wall time (empty if nothing arrived). */
    public short[] receivedAudio(Duration window) {
        return rtp.received(window);
    }

    /** Whether a tone at {@code hz} is in the audio received during the last 500 ms. */
    public boolean hears(double hz) {
        return hears(hz, DEFAULT_WINDOW);
    }

    /** Whether a tone at {@code hz} is in the audio received during the last {@code window}; see {@link ToneDetector}. */
    public boolean hears(double hz, Duration window) {
        return ToneDetector.detect(rtp.received(window), hz);
    }

    /** The detector's numbers for {@code hz} over the last {@code window}, for diagnostics. */
    public ToneDetector.Result analyseTone(double hz, Duration window) {
        return ToneDetector.analyse(rtp.received(window), hz);
    }

    /** Polls {@link #hears(double)} until true or {@code timeout}; logs why at WARN when it gives up. */
    public boolean awaitHearing(double hz, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (hears(hz)) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                log.warn("[{}] {} did not hear {} Hz within {}: {}; {}", phone.name, this, hz, format(timeout),
                        analyseTone(hz, DEFAULT_WINDOW), audioStats());
                return false;
            }
            sleep(40);
        }
    }

    /** As {@link #awaitHearing} but fails with an explanatory {@link AssertionError}. */
    public void assertHears(double hz, Duration timeout) {
        if (!awaitHearing(hz, timeout)) {
            throw new AssertionError(phone.name + ": " + this + " did not hear " + hz + " Hz within " + format(timeout)
                    + ": " + analyseTone(hz, DEFAULT_WINDOW) + "; " + audioStats());
        }
    }

    // ------------------------------------------------------------------------------------- protocol, lock held

    private void sendInvite(DigestAuth.Challenge challenge, boolean proxy) {
        SipMessage request = SipMessage.request("INVITE", requestUri)
                .add("Via", phone.via(SipPhone.newBranch()))
                .add("Max-Forwards", "70")
                .add("From", localNameAddr)
                .add("To", remoteNameAddr)
                .add("Call-ID", callId)
                .add("CSeq", localCseq + " INVITE")
                .add("Contact", "<" + phone.contactUri() + ">")
                .add("Allow", SipPhone.ALLOW)
                .add("User-Agent", phone.config.userAgent);
        extraHeaders.forEach(request::add);
        if (challenge != null) {
            request.add(proxy ? "Proxy-Authorization" : "Authorization",
                    phone.authorization(challenge, "INVITE", requestUri));
        }
        request.body("application/sdp", localSdp);
        invite = request;
        provisionalSeen = false;
        phone.sendRequest(request, firstHop, this::onInviteResponse);
    }

    void onInviteResponse(SipMessage response) {
        if (response.cseq() != invite.cseq() && !response.local) {
            return;
        }
        int status = response.status();
        if (status < 200) {
            lastResponse = response;
            provisionalSeen = true;
            if (status > 100) {
                ringingSeen = true;
                if (state == State.CALLING) {
                    state = State.RINGING;
                }
                applyRemoteSdpFrom(response);
            }
            if (pendingCancel) {
                pendingCancel = false;
                sendCancel();
            }
        } else if (status < 300) {
            if (ack != null) {
                // The peer did not get our ACK and retransmits its 200 (§13.2.2.4).
                phone.transmit(ack, dialogDestination(), true);
                return;
            }
            lastResponse = response;
            remoteTag = response.toTag();
            remoteNameAddr = response.header("To");
            String contact = response.header("Contact");
            if (contact != null) {
                remoteTarget = SipMessage.uriOf(contact);
            }
            // The caller uses the Record-Route set in reverse order (§12.1.2).
            List<String> routes = new ArrayList<>(response.headerValues("Record-Route"));
            Collections.reverse(routes);
            routeSet = List.copyOf(routes);
            applyRemoteSdpFrom(response);
            finalStatus = status;
            ack = SipMessage.request("ACK", remoteTarget)
                    .add("Via", phone.via(SipPhone.newBranch()))
                    .add("Max-Forwards", "70")
                    .add("From", localNameAddr)
                    .add("To", remoteNameAddr)
                    .add("Call-ID", callId)
                    .add("CSeq", invite.cseq() + " ACK");
            routeSet.forEach(r -> ack.add("Route", r));
            ack.add("User-Agent", phone.config.userAgent);
            phone.transmit(ack, dialogDestination(), false);
            if (state == State.ENDED) {
                // Our CANCEL crossed the 200: the dialog exists now, so it must be closed with a BYE (§9.1).
                sendBye();
            } else {
                answered();
            }
        } else {
            lastResponse = response;
            if ((status == 401 || status == 407) && !response.local && state != State.ENDED) {
                DigestAuth.Challenge challenge = phone.pickChallenge(response);
                if (challenge != null && phone.canAuthenticate() && (authAttempts == 0 || challenge.stale())) {
                    authAttempts++;
                    // Same dialog identifiers, next CSeq, new branch: a new transaction of the same call (§22.2).
                    localCseq++;
                    sendInvite(challenge, status == 407);
                    return;
                }
                end(EndReason.FAILED, status);
                return;
            }
            if (finalStatus == 0) {
                finalStatus = status;
            }
            end(response.local ? EndReason.FAILED : EndReason.REJECTED, status);
        }
        phone.changed.signalAll();
    }

    private void sendCancel() {
        // CANCEL copies the INVITE's Request-URI, top Via (same branch), Call-ID, From, To and CSeq number (§9.1).
        SipMessage cancel = SipMessage.request("CANCEL", invite.requestUri())
                .add("Via", invite.header("Via"))
                .add("Max-Forwards", "70")
                .add("From", invite.header("From"))
                .add("To", invite.header("To"))
                .add("Call-ID", callId)
                .add("CSeq", invite.cseq() + " CANCEL");
        for (String route : invite.rawHeaders("Route")) {
            cancel.add("Route", route);
        }
        cancel.add("User-Agent", phone.config.userAgent);
        phone.sendRequest(cancel, firstHop, r -> { });
    }

    private void sendBye() {
        SipMessage bye = SipMessage.request("BYE", remoteTarget)
                .add("Via", phone.via(SipPhone.newBranch()))
                .add("Max-Forwards", "70")
                .add("From", localNameAddr)
                .add("To", remoteNameAddr)
                .add("Call-ID", callId)
                .add("CSeq", ++localCseq + " BYE");
        routeSet.forEach(r -> bye.add("Route", r));
        bye.add("User-Agent", phone.config.userAgent);
        phone.sendRequest(bye, dialogDestination(), r -> { });
    }

    /** Where in-dialog requests go: the first loose route, else the peer's Contact, else where it came from. */
    private InetSocketAddress dialogDestination() {
        try {
            InetSocketAddress target = routeSet.isEmpty() ? SipMessage.hostPortOf(remoteTarget)
                    : SipMessage.hostPortOf(SipMessage.uriOf(routeSet.getFirst()));
            return target.isUnresolved() ? firstHop : target;
        } catch (RuntimeException e) {
            return firstHop;
        }
    }

    void onAck(SipMessage ackRequest) {
        if (ackRequest.cseq() != receivedInviteCseq()) {
            return;
        }
        ackReceived = true;
        // An INVITE without SDP got our offer in the 200, so the answer comes in the ACK (RFC 3264 §4).
        applyRemoteSdpFrom(ackRequest);
        if (pendingBye) {
            pendingBye = false;
            sendBye();
        }
    }

    private long receivedInviteCseq() {
        return remoteCseq;
    }

    void onAckTimeout(SipPhone.ServerTx tx) {
        if (tx != inviteServerTx) {
            return;
        }
        if (tx.lastResponse.status() / 100 == 2) {
            // A 2xx never acknowledged: the dialog is considered established and must be torn down with BYE (§13.3.1.4).
            pendingBye = false;
            ackReceived = true;
            sendBye();
            end(EndReason.FAILED, 0);
        }
    }

    void onBye(SipPhone.ServerTx tx) {
        phone.respond(tx, 200, null, null);
        end(EndReason.REMOTE_BYE, 0);
    }

    void onCancel() {
        if (direction == Direction.INCOMING && !inviteServerTx.finalSent()) {
            phone.respond(inviteServerTx, 487, localTag, null);
            end(EndReason.REMOTE_CANCEL, 487);
        }
    }

    void onReInvite(SipPhone.ServerTx tx) {
        SipMessage request = tx.request;
        if (state == State.ENDED) {
            phone.respond(tx, 481, null, null);
            return;
        }
        if (request.cseq() <= remoteCseq) {
            // An older CSeq than the last request in this dialog is out of order (§12.2.2).
            phone.respond(tx, 500, null, r -> r.add("Retry-After", "1"));
            return;
        }
        Sdp offer = null;
        if (request.body().length > 0) {
            try {
                offer = Sdp.parse(request.bodyText());
            } catch (RuntimeException e) {
                offer = null;
            }
            if (offer == null || !offer.offersPcmu()) {
                phone.respond(tx, 488, null, null);
                return;
            }
        }
        remoteCseq = request.cseq();
        String contact = request.header("Contact");
        if (contact != null) {
            remoteTarget = SipMessage.uriOf(contact);
        }
        if (offer != null) {
            // e.g. Asterisk moving media (direct_media) or putting us on hold: follow the new address.
            applyRemoteSdp(offer);
        }
        tx.owner = this;
        phone.respond(tx, 200, null, r -> r.add("Contact", "<" + phone.contactUri() + ">")
                .add("Allow", SipPhone.ALLOW).body("application/sdp", localSdp));
    }

    void onUpdate(SipPhone.ServerTx tx) {
        SipMessage request = tx.request;
        if (request.body().length > 0) {
            try {
                Sdp offer = Sdp.parse(request.bodyText());
                if (!offer.offersPcmu()) {
                    phone.respond(tx, 488, null, null);
                    return;
                }
                applyRemoteSdp(offer);
            } catch (RuntimeException e) {
                phone.respond(tx, 488, null, null);
                return;
            }
            phone.respond(tx, 200, null, r -> r.add("Contact", "<" + phone.contactUri() + ">")
                    .body("application/sdp", localSdp));
        } else {
            phone.respond(tx, 200, null, r -> r.add("Contact", "<" + phone.contactUri() + ">"));
        }
    }

    boolean isSameInitialInvite(SipMessage request) {
        return direction == Direction.INCOMING && callId.equals(request.callId())
                && java.util.Objects.equals(remoteTag, request.fromTag()) && receivedInvite.cseq() == request.cseq();
    }

    SipPhone.ServerTx inviteServerTx() {
        return inviteServerTx;
    }

    private void applyRemoteSdpFrom(SipMessage message) {
        String type = message.header("Content-Type");
        if (message.body().length == 0 || type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/sdp")) {
            return;
        }
        try {
            applyRemoteSdp(Sdp.parse(message.bodyText()));
        } catch (RuntimeException e) {
            log.warn("[{}] ignoring unusable SDP in {}: {}", phone.name, message.summary(), e.getMessage());
        }
    }

    private void applyRemoteSdp(Sdp sdp) {
        remoteSdp = sdp;
        rtp.remote(sdp.rtpTarget());
        rtp.telephoneEventPt(sdp.telephoneEventPt());
    }

    private void answered() {
        state = State.ANSWERED;
        answeredAt = Instant.now();
        // Media flows from the answer on: the callee right after sending 200, the caller right after receiving it.
        rtp.startSending();
        phone.trace.note("call " + callId + " answered");
        phone.changed.signalAll();
    }

    private void end(EndReason reason, int status) {
        if (state == State.ENDED) {
            if (finalStatus == 0 && status > 0) {
                finalStatus = status;
            }
            return;
        }
        state = State.ENDED;
        endReason = reason;
        if (finalStatus == 0 && status > 0) {
            finalStatus = status;
        }
        endedAt = Instant.now();
        rtp.close();
        phone.trace.note("call " + callId + " ended: " + reason + (finalStatus > 0 ? " (" + finalStatus + ")" : ""));
        phone.changed.signalAll();
    }

    /** Closes the RTP socket; the received audio stays readable. */
    void releaseMedia() {
        rtp.close();
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private <T> T locked(java.util.function.Supplier<T> read) {
        phone.lock.lock();
        try {
            return read.get();
        } finally {
            phone.lock.unlock();
        }
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public String toString() {
        phone.lock.lock();
        try {
            String peer = direction == Direction.OUTGOING ? "to " + requestUri : "from " + fromUserUnlocked();
            return direction.name().toLowerCase(java.util.Locale.ROOT) + " call " + peer + " [" + state
                    + (endReason != null ? " " + endReason : "") + (finalStatus > 0 ? " " + finalStatus : "") + "]";
        } finally {
            phone.lock.unlock();
        }
    }

    private String fromUserUnlocked() {
        String from = receivedInvite != null ? receivedInvite.header("From") : invite.header("From");
        return SipMessage.userOf(SipMessage.uriOf(from));
    }
}
