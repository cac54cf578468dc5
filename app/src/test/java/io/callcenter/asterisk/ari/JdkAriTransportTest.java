package io.callcenter.asterisk.ari;

import ch.loway.oss.ari4java.tools.HttpParam;
import ch.loway.oss.ari4java.tools.HttpResponse;
import ch.loway.oss.ari4java.tools.RestException;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JDK transport against a loopback HTTP server standing in for Asterisk's ARI. */
class JdkAriTransportTest {

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private HttpServer server;
    private JdkAriTransport transport;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ari/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization") + " " + body);
            byte[] answer;
            int status;
            if (exchange.getRequestURI().getPath().contains("missing")) {
                status = 404;
                answer = "{\"message\":\"Channel not found\"}".getBytes(StandardCharsets.UTF_8);
            } else {
                status = 200;
                answer = "{\"id\":\"c1\"}".getBytes(StandardCharsets.UTF_8);
            }
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        transport = new JdkAriTransport("http://127.0.0.1:" + server.getAddress().getPort() + "/", "user", "secret",
                4, Duration.ofSeconds(5), meters);
    }

    @AfterEach
    void stop() {
        transport.destroy();
        server.stop(0);
    }

    /** Query values encoded by ari4java's own encoder, as its Netty client sends them. */
    @Test
    void sends_the_request_as_ari4java_builds_it_and_returns_the_body() throws RestException {
        String body = transport.httpActionSync("/channels/c1/variable", "POST",
                List.of(HttpParam.build("variable", "A B"), HttpParam.build("value", (String) null)),
                "{\"x\":1}", List.of());

        assertThat(body).isEqualTo("{\"id\":\"c1\"}");
        assertThat(seen).containsExactly("POST /ari/channels/c1/variable?variable=A+B Basic dXNlcjpzZWNyZXQ= {\"x\":1}");
        assertThat(meters.get("callcenter.ari.requests").tag("operation", "POST /channels/{id}/variable")
                .tag("outcome", "200").timer().count()).isEqualTo(1);
    }

    @Test
    void an_error_status_is_a_rest_exception_with_the_documented_description_and_is_counted() {
        assertThatThrownBy(() -> transport.httpActionSync("/channels/missing/answer", "POST", List.of(), null,
                List.of(HttpResponse.build(404, "Channel not found"))))
                .isInstanceOfSatisfying(RestException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(404);
                    assertThat(e.getMessage()).isEqualTo("Channel not found");
                });
        assertThat(meters.get("callcenter.ari.requests").tag("operation", "POST /channels/{id}/answer")
                .tag("outcome", "404").timer().count()).isEqualTo(1);
    }

    @Test
    void an_unreachable_asterisk_is_a_rest_exception_counted_as_io_error() {
        JdkAriTransport nowhere = new JdkAriTransport("http://127.0.0.1:1/", "user", "secret", 4,
                Duration.ofSeconds(2), meters);
        try {
            assertThatThrownBy(() -> nowhere.httpActionSync("/asterisk/info", "GET", List.of(), null, List.of()))
                    .isInstanceOf(RestException.class);
        } finally {
            nowhere.destroy();
        }
        assertThat(meters.get("callcenter.ari.requests").tag("operation", "GET /asterisk/info")
                .tag("outcome", "io_error").timer().count()).isEqualTo(1);
    }

    @Test
    void operations_blank_identifiers_so_labels_stay_bounded() {
        assertThat(JdkAriTransport.operation("POST", "/bridges/call-123/addChannel"))
                .isEqualTo("POST /bridges/{id}/addChannel");
        assertThat(JdkAriTransport.operation("PUT", "/asterisk/config/dynamic/res_pjsip/endpoint/2001"))
                .isEqualTo("PUT /asterisk/config/dynamic/{id}/{id}/{id}");
        assertThat(JdkAriTransport.operation("GET", "/endpoints/PJSIP")).isEqualTo("GET /endpoints/{id}");
    }
}
