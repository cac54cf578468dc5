package io.callcenter.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's port as the app sees it, which a test can take away: a TCP relay in front of the test database.
 * {@link #stop()} resets every open connection and refuses new ones, as a PostgreSQL that went down does (the
 * shared test server itself keeps running for the other tests); {@link #start()} lets connections through again.
 */
final class PostgresOutage implements AutoCloseable {

    private static final Pattern HOST_PORT = Pattern.compile("^(jdbc:postgresql://)([^:/]+):(\\d+)(/.*)$");

    private final String targetHost;
    private final int targetPort;
    private final String relayedUrl;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    /** @param databaseUrl the real database's JDBC URL; the app gets {@link #url()} instead */
    PostgresOutage(String databaseUrl) {
        Matcher m = HOST_PORT.matcher(databaseUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a jdbc:postgresql://host:port/db URL: " + databaseUrl);
        }
        targetHost = m.group(2);
        targetPort = Integer.parseInt(m.group(3));
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        relayedUrl = m.group(1) + "127.0.0.1:" + port + m.group(4);
        start();
    }

    String url() {
        return relayedUrl;
    }

    synchronized void start() {
        try {
            ServerSocket listening = new ServerSocket();
            listening.setReuseAddress(true);
            listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = listening;
            Thread.ofVirtual().name("pg-relay-accept").start(() -> accept(listening));
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + port, e);
        }
    }

    /** PostgreSQL "goes down": open connections reset, new ones refused. */
    synchronized void stop() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket socket : Set.copyOf(open)) {
            try {
                socket.setSoLinger(true, 0);
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
        open.clear();
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                open.add(client);
                open.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // one side went away: the other follows
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closing
            }
            open.remove(from);
            open.remove(to);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
