package io.callcenter.testkit.sip;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A phone's transaction layer (RFC 3261 §17, simplified): requests we send, retransmitted until answered or timed
 * out; requests we receive, remembered so that their retransmissions get our last response again; final responses to
 * INVITE retransmitted until ACKed. Every method runs under the phone's lock (the timers take it themselves).
 */
final class SipTransactions {

    /** A request we sent and its retransmission state (§17.1). */
    static final class ClientTx {
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

    /** A request we received (§17.2). */
    static final class ServerTx {
        final String key;
        final SipMessage request;
        final InetSocketAddress source;
        SipMessage lastResponse;
        SipDialog owner;
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

    private final SipPhone phone;
    private final Map<String, ClientTx> clientTxs = new HashMap<>();
    private final Map<String, ServerTx> serverTxs = new LinkedHashMap<>();

    SipTransactions(SipPhone phone) {
        this.phone = phone;
    }

    // ------------------------------------------------------------------------------------------------ client side

    /** Sends a request as a client transaction with T1-doubling retransmission. */
    ClientTx sendRequest(SipMessage request, InetSocketAddress destination, Consumer<SipMessage> listener) {
        ClientTx tx = new ClientTx(request, destination, listener);
        clientTxs.put(tx.key, tx);
        tx.intervalMillis = phone.config.t1.toMillis();
        tx.deadlineNanos = System.nanoTime() + phone.config.transactionTimeout.toNanos();
        phone.transport.transmit(request, destination, false);
        if (!phone.closed) {
            tx.timer = phone.timers.schedule(() -> retransmit(tx), tx.intervalMillis, TimeUnit.MILLISECONDS);
        }
        return tx;
    }

    private void retransmit(ClientTx tx) {
        phone.lock.lock();
        try {
            if (tx.finalResponse != null || phone.closed) {
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
                phone.transport.transmit(tx.request, tx.destination, true);
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
            tx.timer = phone.timers.schedule(() -> retransmit(tx), delay, TimeUnit.MILLISECONDS);
        } finally {
            phone.lock.unlock();
        }
    }

    private void timeout(ClientTx tx) {
        SipMessage timeout = SipMessage.response(408, "Request Timeout (no response)")
                .add("Call-ID", tx.request.callId())
                .add("CSeq", tx.request.header("CSeq"));
        timeout.local = true;
        phone.trace.note("no response to " + tx.request.summary() + " within "
                + SipTrace.format(phone.config.transactionTimeout));
        complete(tx, timeout);
    }

    private void complete(ClientTx tx, SipMessage response) {
        tx.finalResponse = response;
        if (tx.timer != null) {
            tx.timer.cancel(false);
        }
        if (!phone.closed) {
            // Keep the transaction a while to absorb retransmitted final responses (Timer D/K).
            phone.timers.schedule(() -> forget(clientTxs, tx.key, tx), 32, TimeUnit.SECONDS);
        }
        try {
            tx.listener.accept(response);
        } finally {
            tx.done.complete(response);
            phone.changed.signalAll();
        }
    }

    void onResponse(SipMessage response) {
        String method = response.cseqMethod();
        ClientTx tx = clientTxs.get(response.branch() + " " + method);
        if (tx == null) {
            // A 2xx to INVITE retransmitted after the transaction is gone: the dialog must ACK it again.
            if ("INVITE".equals(method) && response.status() / 100 == 2) {
                SipCall call = phone.dialogs.find(response.callId(), response.fromTag());
                if (call != null) {
                    call.dialog.onInviteResponse(response);
                }
            }
            return;
        }
        if (tx.finalResponse != null) {
            if (tx.invite && response.status() >= 300 && tx.ack != null) {
                // Our ACK was lost: the same ACK again (same branch, it belongs to the INVITE transaction).
                phone.transport.transmit(tx.ack, tx.destination, true);
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
            phone.changed.signalAll();
            return;
        }
        if (tx.invite && response.status() >= 300) {
            tx.ack = non2xxAck(tx.request, response);
            phone.transport.transmit(tx.ack, tx.destination, false);
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
        return ack.add("User-Agent", phone.config.userAgent);
    }

    /** Whether a BYE, CANCEL or INVITE of ours still waits for its final response (close waits for those). */
    boolean hangupsPending() {
        for (ClientTx tx : clientTxs.values()) {
            String method = tx.request.method();
            // Every call was just terminated, so an INVITE still open is one being cancelled: wait for its 487.
            if (tx.finalResponse == null && (method.equals("BYE") || method.equals("CANCEL") || method.equals("INVITE"))) {
                return true;
            }
        }
        return false;
    }

    /** Stops every client transaction's retransmissions (the phone is closing). */
    void stopRetransmissions() {
        for (ClientTx tx : clientTxs.values()) {
            if (tx.timer != null) {
                tx.timer.cancel(false);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ server side

    /**
     * A new server transaction for a received request, or null for a retransmission of one we know (which then gets
     * our last response again, if we have one yet).
     */
    ServerTx receive(SipMessage request, InetSocketAddress source) {
        String key = serverKey(request, request.method());
        ServerTx existing = serverTxs.get(key);
        if (existing != null) {
            // A retransmission: the peer has not seen our answer yet (or we have none yet for an INVITE).
            if (existing.lastResponse != null) {
                phone.transport.transmit(existing.lastResponse, existing.source, true);
            }
            return null;
        }
        ServerTx tx = new ServerTx(key, request, source);
        serverTxs.put(key, tx);
        return tx;
    }

    /** The INVITE transaction a CANCEL names; null when there is none. */
    ServerTx inviteCancelledBy(SipMessage cancel) {
        return serverTxs.get(serverKey(cancel, "INVITE"));
    }

    /** Drops a transaction that turned out not to be one (the same INVITE arriving by another path). */
    void discard(ServerTx tx) {
        serverTxs.remove(tx.key);
    }

    /** Marks the INVITE transactions an ACK acknowledges: their final response is no longer retransmitted. */
    void acknowledge(SipMessage ack) {
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
    }

    /** Sends a response to a received request; a final response to INVITE is retransmitted until ACKed. */
    SipMessage respond(ServerTx tx, int status, String toTag, Consumer<SipMessage> customize) {
        SipMessage request = tx.request;
        SipMessage response = SipMessage.response(status, SipMessage.reasonPhrase(status));
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
        response.add("Server", phone.config.userAgent);
        if (customize != null) {
            customize.accept(response);
        }
        tx.lastResponse = response;
        phone.transport.transmit(response, tx.source, false);
        if (status >= 200) {
            if (tx.timer != null) {
                tx.timer.cancel(false);
            }
            if (request.method().equals("INVITE") && !phone.closed) {
                tx.intervalMillis = phone.config.t1.toMillis();
                tx.deadlineNanos = System.nanoTime() + phone.config.transactionTimeout.toNanos();
                tx.timer = phone.timers.schedule(() -> retransmitResponse(tx), tx.intervalMillis, TimeUnit.MILLISECONDS);
            }
            if (!phone.closed) {
                phone.timers.schedule(() -> forget(serverTxs, tx.key, tx), 32, TimeUnit.SECONDS);
            }
        }
        phone.changed.signalAll();
        return response;
    }

    private void retransmitResponse(ServerTx tx) {
        phone.lock.lock();
        try {
            if (tx.acked || phone.closed) {
                return;
            }
            long now = System.nanoTime();
            if (now >= tx.deadlineNanos) {
                phone.trace.note("no ACK for " + tx.lastResponse.summary());
                if (tx.owner != null) {
                    tx.owner.onAckTimeout(tx);
                }
                return;
            }
            // UDP may lose our final response; only the ACK tells us it arrived (§13.3.1.4, §17.2.1).
            phone.transport.transmit(tx.lastResponse, tx.source, true);
            tx.intervalMillis = Math.min(tx.intervalMillis * 2, 4000);
            tx.timer = phone.timers.schedule(() -> retransmitResponse(tx), tx.intervalMillis, TimeUnit.MILLISECONDS);
        } finally {
            phone.lock.unlock();
        }
    }

    private <T> void forget(Map<String, T> transactions, String key, T tx) {
        phone.lock.lock();
        try {
            transactions.remove(key, tx);
        } finally {
            phone.lock.unlock();
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
}
