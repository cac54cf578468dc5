package io.callcenter.asterisk.ami;

import io.callcenter.asterisk.AsteriskException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The manager client against a fake manager on an in-memory transport: framing, action ids, errors, reconnects. */
class AmiClientTest {

    private static final String EOF = "\u0000eof";

    /** A manager: a banner, then each action read is answered by {@code answer} (null: no answer at all). */
    static final class FakeManager implements AmiClient.Transport {
        final List<Map<String, String>> actions = Collections.synchronizedList(new ArrayList<>());
        final List<FakeConnection> opened = new ArrayList<>();
        Function<Map<String, String>, String> answer = action -> "Response: Success\r\nActionID: "
                + action.get("ActionID") + "\r\nMessage: ok\r\n\r\n";

        @Override
        public AmiClient.Connection open() {
            FakeConnection connection = new FakeConnection();
            connection.lines.add("Asterisk Call Manager/9.0.0");
            opened.add(connection);
            return connection;
        }

        final class FakeConnection implements AmiClient.Connection {
            final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            volatile boolean closed;

            @Override
            public String readLine() throws IOException {
                try {
                    String line = lines.take();
                    return line.equals(EOF) ? null : line;
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }

            @Override
            public void write(String text) throws IOException {
                if (closed) {
                    throw new IOException("broken pipe");
                }
                assertThat(text).endsWith("\r\n\r\n");
                Map<String, String> action = new LinkedHashMap<>();
                for (String line : text.strip().split("\r\n")) {
                    action.put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 2));
                }
                actions.add(action);
                String response = answer.apply(action);
                if (response != null) {
                    // An event first, as Asterisk may interleave one: it must not be taken for the response.
                    lines.add("Event: FullyBooted");
                    lines.add("");
                    for (String line : response.split("\r\n", -1)) {
                        lines.add(line);
                    }
                }
            }

            void drop() {
                closed = true;
                lines.add(EOF);
            }

            @Override
            public void close() {
                closed = true;
                lines.add(EOF);
            }
        }
    }

    private final FakeManager manager = new FakeManager();
    private final AmiClient client = new AmiClient(manager, "callcenter", "s3cret", Duration.ofSeconds(2));

    @Test
    void logs_in_without_events_then_sends_each_action_with_its_id_and_returns_its_response() {
        Map<String, String> response = client.action("MixMonitor", Map.of("Channel", "1234.5", "File", "/rec/call-1.wav"));

        assertThat(response).containsEntry("Message", "ok");
        assertThat(manager.actions).hasSize(2);
        assertThat(manager.actions.get(0)).containsEntry("Action", "Login").containsEntry("Username", "callcenter")
                .containsEntry("Secret", "s3cret").containsEntry("Events", "off");
        assertThat(manager.actions.get(1)).containsEntry("Action", "MixMonitor").containsEntry("Channel", "1234.5")
                .containsEntry("File", "/rec/call-1.wav").containsKey("ActionID");
        assertThat(response.get("ActionID")).isEqualTo(manager.actions.get(1).get("ActionID"));
        assertThat(client.connected()).isTrue();
    }

    @Test
    void an_error_response_throws_not_found_for_a_channel_that_is_gone() {
        manager.answer = action -> action.get("Action").equals("Login")
                ? "Response: Success\r\nActionID: " + action.get("ActionID") + "\r\n\r\n"
                : "Response: Error\r\nActionID: " + action.get("ActionID") + "\r\nMessage: No such channel\r\n\r\n";

        assertThatThrownBy(() -> client.action("MixMonitorMute", Map.of("Channel", "gone")))
                .isInstanceOfSatisfying(AsteriskException.class, e -> {
                    assertThat(e.isNotFound()).isTrue();
                    assertThat(e.getMessage()).contains("No such channel");
                });
    }

    @Test
    void a_refused_login_fails_the_action_and_the_next_action_logs_in_again() {
        manager.answer = action -> "Response: Error\r\nActionID: " + action.get("ActionID")
                + "\r\nMessage: Authentication failed\r\n\r\n";
        assertThatThrownBy(() -> client.action("StopMixMonitor", Map.of("Channel", "1")))
                .isInstanceOf(AsteriskException.class).hasMessageContaining("Authentication failed");
        assertThat(client.connected()).isFalse();

        manager.answer = new FakeManager().answer;
        client.action("StopMixMonitor", Map.of("Channel", "1"));
        assertThat(manager.opened).hasSize(2);
    }

    @Test
    void a_dropped_connection_fails_what_waits_and_the_next_action_reconnects() {
        client.action("MixMonitor", Map.of("Channel", "1"));
        manager.answer = action -> null;
        Thread.ofVirtual().start(() -> {
            while (manager.actions.size() < 3) {
                Thread.onSpinWait();
            }
            manager.opened.getFirst().drop();
        });
        assertThatThrownBy(() -> client.action("MixMonitorMute", Map.of("Channel", "1")))
                .isInstanceOfSatisfying(AsteriskException.class, e -> assertThat(e.status()).isEqualTo(503));

        manager.answer = new FakeManager().answer;
        assertThat(client.action("MixMonitorMute", Map.of("Channel", "1"))).containsEntry("Response", "Success");
        assertThat(manager.opened).hasSize(2);
        assertThat(manager.actions.getLast()).containsEntry("Action", "MixMonitorMute");
    }

    @Test
    void a_value_with_a_line_break_is_refused_before_anything_is_sent() {
        assertThatThrownBy(() -> AmiClient.format(Map.of("Channel", "1\r\nAction: Originate")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void messages_are_read_up_to_the_blank_line_keeping_colons_in_values() throws IOException {
        FakeManager.FakeConnection connection = manager.new FakeConnection();
        connection.lines.addAll(List.of("", "Response: Success", "ActionID: 7", "Message: File: /a:b", "", EOF));
        assertThat(AmiClient.readMessage(connection)).containsEntry("ActionID", "7").containsEntry("Message", "File: /a:b");
        assertThat(AmiClient.readMessage(connection)).isNull();
    }
}
