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
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A phone's UDP socket: sends SIP datagrams, and hands each one received, parsed, to the transaction layer
 * (responses) or to the phone's dialogs (requests) while holding the phone's lock.
 */
final class SipTransport {

    private static final Logger log = LoggerFactory.getLogger(SipTransport.class);

    private final SipPhone phone;
    private final DatagramSocket socket;
    private Thread receiver;

    SipTransport(SipPhone phone, InetAddress bindAddress) {
        this.phone = phone;
        try {
            this.socket = new DatagramSocket(null);
            socket.bind(new InetSocketAddress(bindAddress, phone.config.bindPort));
        } catch (SocketException e) {
            throw new UncheckedIOException("cannot bind SIP socket on " + phone.config.bindAddress + ":"
                    + phone.config.bindPort, e);
        }
    }

    int localPort() {
        return socket.getLocalPort();
    }

    /** Starts receiving; the phone must be ready to dispatch by then. */
    void start(String name) {
        this.receiver = Thread.ofPlatform().daemon().name("sip-rx-" + name).start(this::receiveLoop);
    }

    void transmit(SipMessage message, InetSocketAddress destination, boolean retransmission) {
        if (phone.closed) {
            return;
        }
        byte[] bytes = message.toBytes();
        phone.trace.sent(message, destination, retransmission);
        try {
            socket.send(new DatagramPacket(bytes, bytes.length, destination));
        } catch (IOException e) {
            log.warn("[{}] SIP send to {} failed: {}", phone.name, destination, e.toString());
        }
    }

    /** Closes the socket and waits briefly for the receive thread to notice. */
    void close() {
        socket.close();
        try {
            receiver.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void receiveLoop() {
        byte[] buffer = new byte[65535];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!phone.closed) {
            try {
                packet.setLength(buffer.length);
                socket.receive(packet);
            } catch (IOException e) {
                if (!phone.closed) {
                    log.warn("[{}] SIP receive failed: {}", phone.name, e.toString());
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
                log.warn("[{}] unparseable SIP datagram from {} ({}): {}", phone.name, source, e.getMessage(),
                        new String(buffer, 0, Math.min(length, 200), StandardCharsets.UTF_8));
                continue;
            }
            phone.lock.lock();
            try {
                if (phone.closed) {
                    break;
                }
                phone.trace.received(message, source);
                if (message.isRequest()) {
                    phone.dialogs.onRequest(message, source);
                } else {
                    phone.transactions.onResponse(message);
                }
            } catch (RuntimeException e) {
                log.warn("[{}] failed to handle {}", phone.name, message.summary(), e);
            } finally {
                phone.lock.unlock();
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
}
