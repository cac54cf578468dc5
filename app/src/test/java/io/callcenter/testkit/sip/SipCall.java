package io.callcenter.testkit.sip;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One call (an INVITE dialog) of a {@link SipPhone}, outgoing or incoming, with its RTP audio: what a test holds to
 * inspect, await, answer and end a call. Its SIP side is a {@link SipDialog}, its audio side {@link CallAudio}.
 * Thread-safe: all state is guarded by the phone's lock. Awaits fail with an {@link AssertionError} that quotes the
 * phone's recent SIP trace.
 */
public final class SipCall extends CallAudio {

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
    final SipDialog dialog;

    private SipCall(SipPhone phone, RtpSession rtp, java.util.function.Function<RtpSession, SipDialog> dialog) {
        super(rtp, phone.name);
        this.phone = phone;
        this.dialog = dialog.apply(rtp);
    }

    private static RtpSession rtpFor(SipPhone phone, String callId) {
        return new RtpSession(phone.name + "-" + callId.substring(0, Math.min(6, callId.length())), phone.bindAddress);
    }

    /** Creates and sends the INVITE. Caller holds the phone lock. */
    static SipCall outgoing(SipPhone phone, String requestUri, InetSocketAddress destination,
                            Map<String, String> headers) {
        String callId = SipMessage.newId() + "@" + phone.config.bindAddress;
        return new SipCall(phone, rtpFor(phone, callId),
                rtp -> SipDialog.outgoing(phone, rtp, callId, requestUri, destination, headers));
    }

    /** Takes over a new incoming INVITE and says 100 Trying. Caller holds the phone lock. */
    static SipCall incoming(SipPhone phone, SipTransactions.ServerTx tx, InetSocketAddress source, Sdp offer) {
        return new SipCall(phone, rtpFor(phone, tx.request.callId()),
                rtp -> SipDialog.incoming(phone, rtp, tx, source, offer));
    }

    // ------------------------------------------------------------------------------------------------- inspection

    public Direction direction() {
        return dialog.direction;
    }

    public String callId() {
        return dialog.callId;
    }

    public SipPhone phone() {
        return phone;
    }

    public State state() {
        return phone.locked(() -> dialog.state);
    }

    /** Null while the call is alive. */
    public EndReason endReason() {
        return phone.locked(() -> dialog.endReason);
    }

    /** Final response code of the INVITE (received for outgoing, sent for incoming calls); 0 while none. */
    public int finalStatus() {
        return phone.locked(() -> dialog.finalStatus);
    }

    public Instant answeredAt() {
        return phone.locked(() -> dialog.answeredAt);
    }

    public Instant endedAt() {
        return phone.locked(() -> dialog.endedAt);
    }

    /** Request-URI of the INVITE: what was dialled. */
    public String requestUri() {
        return dialog.requestUri;
    }

    /**
     * A header of the received INVITE (incoming call) or of the latest response to our INVITE (outgoing call);
     * null when absent. Compact and case-insensitive names work.
     */
    public String header(String name) {
        return phone.locked(() -> {
            SipMessage source = inspected();
            return source == null ? null : String.join(", ", source.rawHeaders(name)).transform(v -> v.isEmpty() ? null : v);
        });
    }

    /** All values of a header, list headers split per element (see {@link #header}). */
    public List<String> headers(String name) {
        return phone.locked(() -> {
            SipMessage source = inspected();
            return source == null ? List.of() : source.headerValues(name);
        });
    }

    private SipMessage inspected() {
        return dialog.direction == Direction.INCOMING ? dialog.receivedInvite : dialog.lastResponse;
    }

    /** User part of the INVITE's From URI: the caller's number for an incoming call. */
    public String fromUser() {
        return phone.locked(dialog::fromUser);
    }

    // ----------------------------------------------------------------------------------------------------- awaits

    /** Waits until 180/183 was received (outgoing) or sent (incoming). */
    public void awaitRinging(Duration timeout) {
        await(timeout, "ringing", () -> dialog.ringingSeen,
                () -> dialog.state == State.ENDED || dialog.state == State.ANSWERED);
    }

    /** Waits until the call was answered (it may have ended since). */
    public void awaitAnswered(Duration timeout) {
        await(timeout, "answered", () -> dialog.answeredAt != null, () -> dialog.state == State.ENDED);
    }

    public void awaitEnded(Duration timeout) {
        await(timeout, "ended", () -> dialog.state == State.ENDED, () -> false);
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
                    throw new AssertionError(phone.name + ": " + this + " not " + what + " within "
                            + SipTrace.format(timeout) + "; last SIP messages:\n" + phone.trace.last(15));
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
        locked(dialog::ringing);
    }

    /** Sends 200 OK with our SDP answer (or offer, if the INVITE had none) and starts sending audio. */
    public void answer() {
        locked(dialog::answer);
    }

    /** Refuses the incoming call with a final error status (e.g. 486 Busy Here, 603 Decline). */
    public void reject(int status) {
        if (status < 300 || status > 699) {
            throw new IllegalArgumentException("not a failure status: " + status);
        }
        locked(() -> dialog.reject(status));
    }

    // ----------------------------------------------------------------------------------------------------- hangup

    /**
     * Ends the call from our side: BYE when answered, CANCEL while an outgoing call is unanswered, 603 Decline for an
     * unanswered incoming call. No-op when already ended. Does not wait for the peer's response.
     */
    public void hangup() {
        locked(dialog::terminate);
    }

    private void locked(Runnable action) {
        phone.lock.lock();
        try {
            action.run();
        } finally {
            phone.lock.unlock();
        }
    }

    @Override
    public String toString() {
        return phone.locked(dialog::describe);
    }
}
