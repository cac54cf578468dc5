package io.callcenter.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A client socket of the app's WebSockets: its text frames in the order they came, and how the server closed it. */
final class TestSocket implements WebSocket.Listener {
    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    private WebSocket socket;

    static TestSocket open(String url) throws Exception {
        TestSocket listener = new TestSocket();
        listener.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), listener)
                .get(10, TimeUnit.SECONDS);
        return listener;
    }

    /** True when the server refuses the handshake. */
    static boolean refused(String url) {
        try {
            open(url).close();
            return false;
        } catch (Exception e) {
            return true;
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            frames.add(text.toString());
            text.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
        closed.complete(status);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closed.complete(-1);
    }

    /** The next frame not read yet (the first one, on a fresh socket). */
    String next() throws InterruptedException {
        String frame = frames.poll(10, TimeUnit.SECONDS);
        assertThat(frame).as("a frame within 10 s").isNotNull();
        return frame;
    }

    String firstFrame() throws InterruptedException {
        return next();
    }

    /** The server's close code; the guard sweeps every 2 s. */
    int closeCode() throws Exception {
        return closed.get(10, TimeUnit.SECONDS);
    }

    void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    }
}
