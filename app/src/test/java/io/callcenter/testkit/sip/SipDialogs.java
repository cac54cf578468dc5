package io.callcenter.testkit.sip;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A phone's calls: which call a received request belongs to, new incoming calls waiting to be taken by the test, and
 * the answers to requests outside any call (OPTIONS, NOTIFY, ...). Every method runs under the phone's lock, except
 * the NOTIFY reads.
 */
final class SipDialogs {

    private final SipPhone phone;
    private final List<SipCall> calls = new ArrayList<>();
    private final Deque<SipCall> incoming = new ArrayDeque<>();
    /** Bodies of the NOTIFY requests received (e.g. message waiting), in order. */
    private final List<String> notifies = new CopyOnWriteArrayList<>();

    SipDialogs(SipPhone phone) {
        this.phone = phone;
    }

    void add(SipCall call) {
        calls.add(call);
    }

    List<SipCall> all() {
        return List.copyOf(calls);
    }

    /** The call whose dialog has {@code localTag} as our tag (To-tag of requests to us, From-tag of responses). */
    SipCall find(String callId, String localTag) {
        if (callId == null || localTag == null) {
            return null;
        }
        for (SipCall call : calls) {
            if (call.dialog.callId.equals(callId) && call.dialog.localTag.equals(localTag)) {
                return call;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------ incoming calls

    /** Takes the oldest incoming call that is still alive (ringing or answered), waiting up to {@code timeout}. */
    SipCall awaitIncoming(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                SipCall call = nextIncoming(true);
                if (call != null) {
                    return call;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(phone.name + ": no incoming call within " + SipTrace.format(timeout)
                            + missedIncoming() + "; last SIP messages:\n" + phone.trace.last(15));
                }
                phone.changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(phone.name + ": interrupted while waiting for an incoming call");
        }
    }

    boolean hasIncoming() {
        return nextIncoming(false) != null;
    }

    private SipCall nextIncoming(boolean take) {
        // A call cancelled before the test looked is not "ringing" any more; it stays in calls() for inspection.
        incoming.removeIf(c -> c.dialog.state == SipCall.State.ENDED);
        SipCall next = take ? incoming.pollFirst() : incoming.peekFirst();
        if (take && next != null) {
            next.dialog.taken = true;
        }
        return next;
    }

    private String missedIncoming() {
        long ended = calls.stream().filter(c -> c.dialog.direction == SipCall.Direction.INCOMING && !c.dialog.taken
                && c.dialog.state == SipCall.State.ENDED).count();
        return ended == 0 ? "" : " (" + ended + " incoming call(s) ended before being taken)";
    }

    // ------------------------------------------------------------------------------------------------- NOTIFY

    /** Waits for a NOTIFY whose body contains {@code text} (e.g. "Messages-Waiting: yes"); false if none came. */
    boolean awaitNotify(String text, Duration timeout) {
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

    List<String> notifies() {
        return List.copyOf(notifies);
    }

    // ------------------------------------------------------------------------------------------------ dispatch

    void onRequest(SipMessage request, InetSocketAddress source) {
        String method = request.method();
        if (method.equals("ACK")) {
            onAck(request);
            return;
        }
        SipTransactions.ServerTx tx = phone.transactions.receive(request, source);
        if (tx == null) {
            return;
        }
        String toTag = request.toTag();
        switch (method) {
            case "INVITE" -> {
                if (toTag == null) {
                    onNewInvite(request, tx, source);
                } else {
                    inDialog(tx, dialog -> dialog.onReInvite(tx));
                }
            }
            case "BYE" -> inDialog(tx, dialog -> dialog.onBye(tx));
            case "CANCEL" -> {
                SipTransactions.ServerTx invite = phone.transactions.inviteCancelledBy(request);
                if (invite == null) {
                    phone.transactions.respond(tx, 481, null, null);
                } else {
                    phone.transactions.respond(tx, 200, invite.owner != null ? invite.owner.localTag : null, null);
                    if (invite.owner != null) {
                        invite.owner.onCancel();
                    }
                }
            }
            case "UPDATE" -> inDialog(tx, dialog -> dialog.onUpdate(tx));
            // Asterisk qualifies contacts with OPTIONS and may send NOTIFY (e.g. MWI) unasked: always accept.
            case "OPTIONS" -> phone.transactions.respond(tx, 200, SipMessage.newTag(), r -> r.add("Allow", SipPhone.ALLOW)
                    .add("Accept", "application/sdp").add("Contact", "<" + phone.contactUri() + ">"));
            case "NOTIFY", "INFO", "MESSAGE", "PRACK" -> {
                if (method.equals("NOTIFY")) {
                    notifies.add(request.bodyText());
                }
                phone.transactions.respond(tx, 200, toTag == null ? SipMessage.newTag() : null, null);
            }
            default -> phone.transactions.respond(tx, 501, SipMessage.newTag(), r -> r.add("Allow", SipPhone.ALLOW));
        }
    }

    /** Hands a request inside a dialog to its call; one for no call we know is answered 481 (§12.2.2). */
    private void inDialog(SipTransactions.ServerTx tx, Consumer<SipDialog> handle) {
        SipCall call = find(tx.request.callId(), tx.request.toTag());
        if (call == null) {
            phone.transactions.respond(tx, 481, null, null);
        } else {
            handle.accept(call.dialog);
        }
    }

    private void onNewInvite(SipMessage request, SipTransactions.ServerTx tx, InetSocketAddress source) {
        for (SipCall call : calls) {
            if (call.dialog.isSameInitialInvite(request)) {
                // Same INVITE arriving with a different branch (e.g. via another path): not a second call.
                SipTransactions.ServerTx first = call.dialog.inviteServerTx;
                if (first.lastResponse != null) {
                    phone.transport.transmit(first.lastResponse, source, true);
                }
                phone.transactions.discard(tx);
                return;
            }
        }
        Sdp.Offer offer = Sdp.Offer.in(request);
        if (!offer.acceptable()) {
            phone.transactions.respond(tx, 488, SipMessage.newTag(),
                    r -> r.add("Warning", "304 sipkit \"only PCMU is supported\""));
            return;
        }
        if (phone.closing.get()) {
            phone.transactions.respond(tx, 480, SipMessage.newTag(), null);
            return;
        }
        SipCall call = SipCall.incoming(phone, tx, source, offer.sdp());
        calls.add(call);
        incoming.addLast(call);
        phone.changed.signalAll();
    }

    private void onAck(SipMessage ack) {
        phone.transactions.acknowledge(ack);
        SipCall call = find(ack.callId(), ack.toTag());
        if (call != null) {
            call.dialog.onAck(ack);
        }
        phone.changed.signalAll();
    }
}
