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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * PCMU RTP (RFC 3550 / RFC 3551) for one call over one UDP socket, used both ways so that a peer doing symmetric
 * RTP (Asterisk's rtp_symmetric / NAT handling) learns the very address it sends to.
 */
final class RtpSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RtpSession.class);
    static final int FRAME_SAMPLES = 160;
    private static final long FRAME_NANOS = 20_000_000L;
    private static final long HISTORY_NANOS = Duration.ofSeconds(5).toNanos();
    private static final int HISTORY_SAMPLES = ToneDetector.SAMPLE_RATE * 5;
    private static final byte ULAW_SILENCE = (byte) 0xFF;
    /** RFC 4733 digit duration and the pause Asterisk's DTMF detector wants before the next digit. */
    private static final int DTMF_FRAMES = 5;
    private static final int DTMF_GAP_FRAMES = 3;

    private record Frame(long arrivalNanos, short[] pcm) {
    }

    private final String name;
    private final DatagramSocket socket;
    private final Thread receiver;
    private final Object sendLock = new Object();
    private final Deque<Frame> history = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Character> dtmfQueue = new ConcurrentLinkedQueue<>();
    private final StringBuilder dtmfReceived = new StringBuilder();
    private int historySamples;
    private long lastEventTimestamp = -1;

    private volatile InetSocketAddress remote;
    private volatile int telephoneEventPt = Sdp.DEFAULT_TELEPHONE_EVENT;
    private volatile double toneHz;
    private volatile double toneAmplitude;
    private volatile boolean muted;
    private volatile boolean closed;
    private Thread sender;

    // Sender state, touched by the sender thread only.
    private final int ssrc = ThreadLocalRandom.current().nextInt();
    private int sequence = ThreadLocalRandom.current().nextInt(0x10000);
    private long timestamp = ThreadLocalRandom.current().nextLong(0x1_0000_0000L);
    private double phase;
    private boolean marker = true;

    private volatile long packetsSent;
    private volatile long packetsReceived;
    private volatile long audioPacketsReceived;
    private volatile long eventPacketsReceived;
    private volatile Instant firstReceived;
    private volatile Instant lastReceived;

    RtpSession(String name, InetAddress bindAddress) {
        this.name = name;
        try {
            socket = new DatagramSocket(new InetSocketAddress(bindAddress, 0));
        } catch (SocketException e) {
            throw new UncheckedIOException("cannot bind RTP socket on " + bindAddress, e);
        }
        receiver = Thread.ofPlatform().daemon().name("rtp-rx-" + name).start(this::receiveLoop);
    }

    int localPort() {
        return socket.getLocalPort();
    }

    InetSocketAddress remote() {
        return remote;
    }

    void remote(InetSocketAddress address) {
        if (address != null && !address.equals(remote)) {
            log.debug("[{}] RTP now sent to {}", name, address);
        }
        remote = address;
    }

    void telephoneEventPt(int pt) {
        if (pt >= 0) {
            telephoneEventPt = pt;
        }
    }

    /** Starts the 20 ms clock; from now on a frame goes out every period (tone, or silence when no tone is set). */
    void startSending() {
        synchronized (sendLock) {
            if (sender != null || closed) {
                return;
            }
            sender = Thread.ofPlatform().daemon().priority(Thread.MAX_PRIORITY).name("rtp-tx-" + name)
                    .start(this::sendLoop);
        }
    }

    void tone(double hz, double dbfs) {
        toneAmplitude = 32767.0 * Math.pow(10, dbfs / 20.0);
        toneHz = hz;
        muted = false;
    }

    void silence() {
        toneHz = 0;
        muted = false;
    }

    void mute() {
        muted = true;
    }

    void dtmf(char digit) {
        if (eventCode(digit) < 0) {
            throw new IllegalArgumentException("not a DTMF digit: " + digit);
        }
        dtmfQueue.add(digit);
    }

    private void sendLoop() {
        byte[] packet = new byte[12 + FRAME_SAMPLES];
        long deadline = System.nanoTime();
        int gapFrames = 0;
        Character digit = null;
        int digitFrames = 0;
        long digitTimestamp = 0;
        while (!closed) {
            InetSocketAddress target = remote;
            if (digit == null && gapFrames == 0 && !muted) {
                digit = dtmfQueue.poll();
                digitFrames = 0;
                digitTimestamp = timestamp;
            }
            if (digit != null) {
                digitFrames++;
                boolean end = digitFrames >= DTMF_FRAMES;
                // All packets of one event carry the event's start timestamp and a growing duration (RFC 4733 §2.5);
                // the end packet is sent three times because it is the only one that must not be lost.
                int repeats = end ? 3 : 1;
                for (int r = 0; r < repeats; r++) {
                    sendEvent(target, digit, digitTimestamp, digitFrames * FRAME_SAMPLES, digitFrames == 1, end);
                }
                if (end) {
                    digit = null;
                    gapFrames = DTMF_GAP_FRAMES;
                }
                timestamp += FRAME_SAMPLES;
            } else {
                if (gapFrames > 0) {
                    gapFrames--;
                }
                if (muted) {
                    // Stopped audio is a gap in the stream, not silence: the media clock keeps running.
                    timestamp += FRAME_SAMPLES;
                    marker = true;
                    advancePhase(1);
                } else {
                    fillAudio(packet);
                    send(target, packet, packet.length);
                    timestamp += FRAME_SAMPLES;
                }
            }
            deadline += FRAME_NANOS;
            long late = System.nanoTime() - deadline;
            if (late > 5 * FRAME_NANOS) {
                // The machine stalled (GC, CPU starvation): skip the missed frames instead of bursting them, and keep
                // the RTP clock in step with wall time as a real phone's sound card would.
                long missed = late / FRAME_NANOS;
                deadline += missed * FRAME_NANOS;
                timestamp += missed * FRAME_SAMPLES;
                advancePhase(missed);
            }
            // Absolute deadlines so that scheduling jitter never accumulates into drift (sleep(20) would run slow).
            long wait;
            while (!closed && (wait = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    private void advancePhase(long frames) {
        double hz = toneHz;
        if (hz > 0) {
            phase = (phase + 2 * Math.PI * hz * FRAME_SAMPLES * frames / ToneDetector.SAMPLE_RATE) % (2 * Math.PI);
        }
    }

    private void fillAudio(byte[] packet) {
        header(packet, 0, marker);
        marker = false;
        double hz = toneHz;
        if (hz <= 0) {
            java.util.Arrays.fill(packet, 12, 12 + FRAME_SAMPLES, ULAW_SILENCE);
            return;
        }
        double step = 2 * Math.PI * hz / ToneDetector.SAMPLE_RATE;
        double amplitude = toneAmplitude;
        for (int i = 0; i < FRAME_SAMPLES; i++) {
            packet[12 + i] = G711.linearToUlaw((int) Math.round(amplitude * Math.sin(phase)));
            phase += step;
        }
        // Keep the phase small so that precision does not degrade over a long call; continuity is what matters.
        phase %= 2 * Math.PI;
    }

    private void sendEvent(InetSocketAddress target, char digit, long eventTimestamp, int duration, boolean first,
                           boolean end) {
        byte[] packet = new byte[16];
        long saved = timestamp;
        timestamp = eventTimestamp;
        header(packet, telephoneEventPt, first);
        timestamp = saved;
        packet[12] = (byte) eventCode(digit);
        packet[13] = (byte) ((end ? 0x80 : 0) | 10);
        packet[14] = (byte) (duration >> 8);
        packet[15] = (byte) duration;
        send(target, packet, packet.length);
    }

    private void header(byte[] packet, int payloadType, boolean mark) {
        packet[0] = (byte) 0x80;
        packet[1] = (byte) ((mark ? 0x80 : 0) | payloadType);
        packet[2] = (byte) (sequence >> 8);
        packet[3] = (byte) sequence;
        sequence = (sequence + 1) & 0xFFFF;
        packet[4] = (byte) (timestamp >> 24);
        packet[5] = (byte) (timestamp >> 16);
        packet[6] = (byte) (timestamp >> 8);
        packet[7] = (byte) timestamp;
        packet[8] = (byte) (ssrc >> 24);
        packet[9] = (byte) (ssrc >> 16);
        packet[10] = (byte) (ssrc >> 8);
        packet[11] = (byte) ssrc;
    }

    private void send(InetSocketAddress target, byte[] data, int length) {
        if (target == null) {
            return;
        }
        try {
            socket.send(new DatagramPacket(data, length, target));
            packetsSent++;
        } catch (IOException e) {
            if (!closed) {
                log.debug("[{}] RTP send to {} failed: {}", name, target, e.toString());
            }
        }
    }

    private void receiveLoop() {
        byte[] buffer = new byte[2048];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!closed) {
            try {
                packet.setLength(buffer.length);
                socket.receive(packet);
                handle(buffer, packet.getLength());
            } catch (IOException e) {
                if (!closed) {
                    log.debug("[{}] RTP receive failed: {}", name, e.toString());
                }
            } catch (RuntimeException e) {
                log.debug("[{}] dropped malformed RTP packet: {}", name, e.toString());
            }
        }
    }

    private void handle(byte[] data, int length) {
        if (length < 12 || (data[0] & 0xC0) != 0x80) {
            return;
        }
        long now = System.nanoTime();
        Instant at = Instant.now();
        packetsReceived++;
        if (firstReceived == null) {
            firstReceived = at;
        }
        lastReceived = at;
        int csrcCount = data[0] & 0x0F;
        boolean extension = (data[0] & 0x10) != 0;
        boolean padding = (data[0] & 0x20) != 0;
        int payloadType = data[1] & 0x7F;
        long rtpTimestamp = ((data[4] & 0xFFL) << 24) | ((data[5] & 0xFFL) << 16) | ((data[6] & 0xFFL) << 8) | (data[7] & 0xFFL);
        int offset = 12 + 4 * csrcCount;
        if (extension) {
            int words = ((data[offset + 2] & 0xFF) << 8) | (data[offset + 3] & 0xFF);
            offset += 4 + 4 * words;
        }
        int end = length;
        if (padding) {
            end -= data[length - 1] & 0xFF;
        }
        if (end <= offset) {
            return;
        }
        if (payloadType == Sdp.PCMU || payloadType == Sdp.PCMA) {
            audioPacketsReceived++;
            short[] pcm = payloadType == Sdp.PCMU ? G711.decodeUlaw(data, offset, end - offset)
                    : G711.decodeAlaw(data, offset, end - offset);
            synchronized (history) {
                history.addLast(new Frame(now, pcm));
                historySamples += pcm.length;
                while (!history.isEmpty() && (historySamples > HISTORY_SAMPLES
                        || now - history.getFirst().arrivalNanos() > HISTORY_NANOS)) {
                    historySamples -= history.removeFirst().pcm().length;
                }
            }
        } else if (payloadType == telephoneEventPt && end - offset >= 4) {
            eventPacketsReceived++;
            boolean endBit = (data[offset + 1] & 0x80) != 0;
            // One digit = one RTP timestamp; the end packet is repeated, so remember which event was already taken.
            if (endBit && rtpTimestamp != lastEventTimestamp) {
                lastEventTimestamp = rtpTimestamp;
                char digit = digitOf(data[offset] & 0xFF);
                synchronized (dtmfReceived) {
                    dtmfReceived.append(digit);
                }
            }
        }
    }

    /** Decoded audio that arrived within the last {@code window}, in arrival order (gaps are not filled). */
    short[] received(Duration window) {
        long cutoff = System.nanoTime() - window.toNanos();
        List<short[]> frames = new ArrayList<>();
        int total = 0;
        synchronized (history) {
            for (Frame f : history) {
                if (f.arrivalNanos() >= cutoff) {
                    frames.add(f.pcm());
                    total += f.pcm().length;
                }
            }
        }
        short[] out = new short[total];
        int at = 0;
        for (short[] f : frames) {
            System.arraycopy(f, 0, out, at, f.length);
            at += f.length;
        }
        return out;
    }

    String receivedDtmf() {
        synchronized (dtmfReceived) {
            return dtmfReceived.toString();
        }
    }

    AudioStats stats() {
        return new AudioStats(packetsSent, packetsReceived, audioPacketsReceived, eventPacketsReceived,
                firstReceived, lastReceived, socket.getLocalPort(), remote);
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
        Thread s;
        synchronized (sendLock) {
            s = sender;
        }
        if (s != null) {
            LockSupport.unpark(s);
            joinQuietly(s);
        }
        joinQuietly(receiver);
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int eventCode(char digit) {
        return switch (Character.toUpperCase(digit)) {
            case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> digit - '0';
            case '*' -> 10;
            case '#' -> 11;
            case 'A', 'B', 'C', 'D' -> 12 + Character.toUpperCase(digit) - 'A';
            default -> -1;
        };
    }

    static char digitOf(int event) {
        if (event <= 9) {
            return (char) ('0' + event);
        }
        return switch (event) {
            case 10 -> '*';
            case 11 -> '#';
            case 12, 13, 14, 15 -> (char) ('A' + event - 12);
            default -> '?';
        };
    }
}
