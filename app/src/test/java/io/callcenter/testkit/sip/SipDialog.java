package io.callcenter.testkit.sip;

import io.callcenter.testkit.sip.SipCall.Direction;
import io.callcenter.testkit.sip.SipCall.EndReason;
import io.callcenter.testkit.sip.SipCall.State;
import io.callcenter.testkit.sip.SipTransactions.ServerTx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The INVITE dialog of one {@link SipCall} (RFC 3261 §12-15): its identifiers, route set and CSeqs, the offer/answer
 * of its SDP, and the call's state as the requests and responses of both sides move it. Every method runs under the
 * phone's lock; the call reads the fields it shows under that lock too.
 */
final class SipDialog {

    private static final Logger log = LoggerFactory.getLogger(SipDialog.class);

    private final SipPhone phone;
    private final RtpSession rtp;
    final Direction direction;
    final String callId;
    final String localTag = SipMessage.newTag();
    final String requestUri;
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

    // Outgoing only.
    private final Map<String, String> extraHeaders;
    SipMessage invite;
    SipMessage lastResponse;
    private SipMessage ack;
    private boolean provisionalSeen;
    private boolean pendingCancel;
    private int authAttempts;

    // Incoming only.
    final SipMessage receivedInvite;
    final ServerTx inviteServerTx;
    private boolean ackReceived;
    private boolean pendingBye;
    boolean taken;

    State state;
    EndReason endReason;
    int finalStatus;
    boolean ringingSeen;
    Instant answeredAt;
    Instant endedAt;

    private SipDialog(SipPhone phone, RtpSession rtp, Direction direction, String callId, String requestUri,
                      InetSocketAddress firstHop, Map<String, String> extraHeaders, ServerTx inviteServerTx) {
        this.phone = phone;
        this.rtp = rtp;
        this.direction = direction;
        this.callId = callId;
        this.requestUri = requestUri;
        this.firstHop = firstHop;
        this.extraHeaders = extraHeaders;
        this.receivedInvite = inviteServerTx == null ? null : inviteServerTx.request;
        this.inviteServerTx = inviteServerTx;
        this.state = direction == Direction.OUTGOING ? State.CALLING : State.INCOMING;
    }

    /** Creates the dialog of a new outgoing call and sends its INVITE. */
    static SipDialog outgoing(SipPhone phone, RtpSession rtp, String callId, String requestUri,
                              InetSocketAddress destination, Map<String, String> headers) {
        SipDialog dialog = new SipDialog(phone, rtp, Direction.OUTGOING, callId, requestUri, destination,
                Map.copyOf(headers), null);
        dialog.localNameAddr = phone.localNameAddr(dialog.localTag);
        dialog.remoteNameAddr = "<" + requestUri + ">";
        dialog.remoteTarget = requestUri;
        dialog.localSdp = Sdp.build(phone.config.bindAddress, rtp.localPort(), dialog.sdpSessionId, 1,
                Sdp.DEFAULT_TELEPHONE_EVENT);
        dialog.localCseq = 1;
        dialog.sendInvite(null, false);
        return dialog;
    }

    /** Takes over a new incoming INVITE and says 100 Trying. */
    static SipDialog incoming(SipPhone phone, RtpSession rtp, ServerTx tx, InetSocketAddress source, Sdp offer) {
        SipMessage invite = tx.request;
        SipDialog dialog = new SipDialog(phone, rtp, Direction.INCOMING, invite.callId(), invite.requestUri(), source,
                Map.of(), tx);
        tx.owner = dialog;
        dialog.remoteTag = invite.fromTag();
        dialog.remoteNameAddr = invite.header("From");
        dialog.localNameAddr = invite.header("To") + ";tag=" + dialog.localTag;
        String contact = invite.header("Contact");
        dialog.remoteTarget = contact != null ? SipMessage.uriOf(contact)
                : "sip:" + source.getAddress().getHostAddress() + ":" + source.getPort();
        dialog.routeSet = invite.headerValues("Record-Route");
        dialog.remoteCseq = invite.cseq();
        int eventPt = offer == null ? Sdp.DEFAULT_TELEPHONE_EVENT : offer.telephoneEventPt();
        dialog.localSdp = Sdp.build(phone.config.bindAddress, rtp.localPort(), dialog.sdpSessionId, 1, eventPt);
        if (offer != null) {
            dialog.applyRemoteSdp(offer);
        }
        // 100 at once stops the caller's INVITE retransmissions while the test decides what to do (§8.2.6.1).
        phone.transactions.respond(tx, 100, null, null);
        phone.trace.note("incoming call " + dialog.callId + " from " + dialog.fromUser());
        return dialog;
    }

    /** User part of the INVITE's From URI: the caller's number for an incoming call. */
    String fromUser() {
        String from = receivedInvite != null ? receivedInvite.header("From") : invite.header("From");
        return SipMessage.userOf(SipMessage.uriOf(from));
    }

    // ------------------------------------------------------------------------------------------ the test's moves

    void ringing() {
        requireUnansweredIncoming("ringing()");
        phone.transactions.respond(inviteServerTx, 180, localTag, r -> r.add("Contact", "<" + phone.contactUri() + ">"));
        state = State.RINGING;
        ringingSeen = true;
    }

    void answer() {
        requireUnansweredIncoming("answer()");
        phone.transactions.respond(inviteServerTx, 200, localTag, r -> r.add("Contact", "<" + phone.contactUri() + ">")
                .add("Allow", SipPhone.ALLOW).body("application/sdp", localSdp));
        finalStatus = 200;
        answered();
    }

    void reject(int status) {
        requireUnansweredIncoming("reject()");
        phone.transactions.respond(inviteServerTx, status, localTag, null);
        end(EndReason.LOCAL_REJECT, status);
    }

    private void requireUnansweredIncoming(String action) {
        if (direction != Direction.INCOMING) {
            throw new IllegalStateException(action + " is for incoming calls; this is " + describe());
        }
        if (state != State.INCOMING && state != State.RINGING) {
            throw new IllegalStateException(phone.name + ": cannot " + action + " " + describe()
                    + "; last SIP messages:\n" + phone.trace.last(10));
        }
    }

    /** Ends the call from our side; see {@link SipCall#hangup()}. */
    void terminate() {
        switch (state) {
            case ENDED -> { }
            case CALLING, RINGING, INCOMING -> {
                if (direction == Direction.INCOMING) {
                    phone.transactions.respond(inviteServerTx, 603, localTag, null);
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

    // ----------------------------------------------------------------------------------------- outgoing requests

    private void sendInvite(DigestAuth.Challenge challenge, boolean proxy) {
        SipMessage request = SipMessage.request("INVITE", requestUri)
                .add("Via", phone.via(SipMessage.newBranch()))
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
                    phone.registration.authorization(challenge, "INVITE", requestUri));
        }
        request.body("application/sdp", localSdp);
        invite = request;
        provisionalSeen = false;
        phone.transactions.sendRequest(request, firstHop, this::onInviteResponse);
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
                phone.transport.transmit(ack, dialogDestination(), true);
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
            ack = inDialogRequest("ACK", invite.cseq());
            phone.transport.transmit(ack, dialogDestination(), false);
            if (state == State.ENDED) {
                // Our CANCEL crossed the 200: the dialog exists now, so it must be closed with a BYE (§9.1).
                sendBye();
            } else {
                answered();
            }
        } else {
            lastResponse = response;
            if ((status == 401 || status == 407) && !response.local && state != State.ENDED) {
                DigestAuth.Challenge challenge = phone.registration.pickChallenge(response);
                if (challenge != null && phone.registration.canAuthenticate()
                        && (authAttempts == 0 || challenge.stale())) {
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
        phone.transactions.sendRequest(cancel, firstHop, r -> { });
    }

    private void sendBye() {
        phone.transactions.sendRequest(inDialogRequest("BYE", ++localCseq), dialogDestination(), r -> { });
    }

    /** A request inside the dialog (ACK of a 2xx, BYE): its own branch, to the remote target, along the route set. */
    private SipMessage inDialogRequest(String method, long cseq) {
        SipMessage request = SipMessage.request(method, remoteTarget)
                .add("Via", phone.via(SipMessage.newBranch()))
                .add("Max-Forwards", "70")
                .add("From", localNameAddr)
                .add("To", remoteNameAddr)
                .add("Call-ID", callId)
                .add("CSeq", cseq + " " + method);
        routeSet.forEach(r -> request.add("Route", r));
        return request.add("User-Agent", phone.config.userAgent);
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

    // ----------------------------------------------------------------------------------------- incoming requests

    void onAck(SipMessage ackRequest) {
        if (ackRequest.cseq() != remoteCseq) {
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

    void onAckTimeout(ServerTx tx) {
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

    void onBye(ServerTx tx) {
        phone.transactions.respond(tx, 200, null, null);
        end(EndReason.REMOTE_BYE, 0);
    }

    void onCancel() {
        if (direction == Direction.INCOMING && !inviteServerTx.finalSent()) {
            phone.transactions.respond(inviteServerTx, 487, localTag, null);
            end(EndReason.REMOTE_CANCEL, 487);
        }
    }

    void onReInvite(ServerTx tx) {
        SipMessage request = tx.request;
        if (state == State.ENDED) {
            phone.transactions.respond(tx, 481, null, null);
            return;
        }
        if (request.cseq() <= remoteCseq) {
            // An older CSeq than the last request in this dialog is out of order (§12.2.2).
            phone.transactions.respond(tx, 500, null, r -> r.add("Retry-After", "1"));
            return;
        }
        Sdp.Offer offer = Sdp.Offer.in(request);
        if (!offer.acceptable()) {
            phone.transactions.respond(tx, 488, null, null);
            return;
        }
        remoteCseq = request.cseq();
        String contact = request.header("Contact");
        if (contact != null) {
            remoteTarget = SipMessage.uriOf(contact);
        }
        if (offer.sdp() != null) {
            // e.g. Asterisk moving media (direct_media) or putting us on hold: follow the new address.
            applyRemoteSdp(offer.sdp());
        }
        tx.owner = this;
        phone.transactions.respond(tx, 200, null, r -> r.add("Contact", "<" + phone.contactUri() + ">")
                .add("Allow", SipPhone.ALLOW).body("application/sdp", localSdp));
    }

    void onUpdate(ServerTx tx) {
        Sdp.Offer offer = Sdp.Offer.in(tx.request);
        if (!offer.acceptable()) {
            phone.transactions.respond(tx, 488, null, null);
            return;
        }
        if (offer.sdp() == null) {
            phone.transactions.respond(tx, 200, null, r -> r.add("Contact", "<" + phone.contactUri() + ">"));
            return;
        }
        try {
            applyRemoteSdp(offer.sdp());
        } catch (RuntimeException e) {
            phone.transactions.respond(tx, 488, null, null);
            return;
        }
        phone.transactions.respond(tx, 200, null, r -> r.add("Contact", "<" + phone.contactUri() + ">")
                .body("application/sdp", localSdp));
    }

    boolean isSameInitialInvite(SipMessage request) {
        return direction == Direction.INCOMING && callId.equals(request.callId())
                && Objects.equals(remoteTag, request.fromTag()) && receivedInvite.cseq() == request.cseq();
    }

    // ---------------------------------------------------------------------------------------------- media, state

    private void applyRemoteSdpFrom(SipMessage message) {
        String type = message.header("Content-Type");
        if (message.body().length == 0 || type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/sdp")) {
            return;
        }
        try {
            applyRemoteSdp(Sdp.parse(message.bodyText()));
        } catch (RuntimeException e) {
            log.warn("[{}] ignoring unusable SDP in {}: {}", phone.name, message.summary(), e.getMessage());
        }
    }

    private void applyRemoteSdp(Sdp sdp) {
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

    void end(EndReason reason, int status) {
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

    /** "outgoing call to sip:... [ANSWERED]" and the like, for messages. */
    String describe() {
        String peer = direction == Direction.OUTGOING ? "to " + requestUri : "from " + fromUser();
        return direction.name().toLowerCase(Locale.ROOT) + " call " + peer + " [" + state
                + (endReason != null ? " " + endReason : "") + (finalStatus > 0 ? " " + finalStatus : "") + "]";
    }
}
