package io.callcenter.testkit.sip;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The SIP trace of one phone: every message in full at DEBUG, and the last few start lines kept in memory so that a
 * failing await can show what actually went over the wire.
 */
final class SipTrace {

    private static final Logger log = LoggerFactory.getLogger(SipPhone.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final int KEEP = 40;

    private final String name;
    private final Deque<String> recent = new ArrayDeque<>();

    SipTrace(String name) {
        this.name = name;
    }

    void sent(SipMessage message, InetSocketAddress to, boolean retransmission) {
        record((retransmission ? "=> " : "-> ") + address(to), message);
    }

    void received(SipMessage message, InetSocketAddress from) {
        record("<- " + address(from), message);
    }

    void note(String text) {
        String line = TIME.format(LocalTime.now()) + " " + text;
        synchronized (recent) {
            add(line);
        }
        log.debug("[{}] {}", name, text);
    }

    private void record(String arrow, SipMessage message) {
        String line = TIME.format(LocalTime.now()) + " " + arrow + " " + message.summary();
        synchronized (recent) {
            add(line);
        }
        if (log.isDebugEnabled()) {
            log.debug("[{}] {}\n{}", name, arrow, message.toString().stripTrailing());
        }
    }

    private void add(String line) {
        recent.addLast(line);
        while (recent.size() > KEEP) {
            recent.removeFirst();
        }
    }

    /** The last {@code count} entries, oldest first, one per line. */
    String last(int count) {
        List<String> lines;
        synchronized (recent) {
            lines = new ArrayList<>(recent);
        }
        List<String> tail = lines.subList(Math.max(0, lines.size() - count), lines.size());
        return tail.isEmpty() ? "  (none)" : "  " + String.join("\n  ", tail);
    }

    /** A duration as failure messages give it: "10s", or "750ms" when not whole seconds. */
    static String format(java.time.Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static String address(InetSocketAddress a) {
        return a.getAddress() == null ? a.toString() : a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
