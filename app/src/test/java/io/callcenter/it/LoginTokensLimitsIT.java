package io.callcenter.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;


import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11's application hardening against the real app: the login throttle under parallel guessing, logout and
 * disabling a user ending the login and its sockets, single-use socket tickets, body limits and who sees health.
 */
class LoginTokensLimitsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PROBLEM_JSON = "application/problem+json";
    private static TestApp app;

    @BeforeAll
    static void start() {
        // Campaigns may be created with calling hours at any time of day (the test runs at any hour).
        app = TestApp.start(TestDatabase.get().newDatabase(), TestAsterisk.get(),
                Map.of("callcenter.dialer.lawful-calling-hours", "00:00-23:59"));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void forty_parallel_wrong_passwords_are_counted_before_checking_and_the_user_gets_in_after_a_short_wait()
            throws Exception {
        int parallel = 40;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(parallel)) {
            for (int i = 0; i < parallel; i++) {
                answers.add(threads.submit(() -> {
                    go.await();
                    return login("maria", "wrong-password-" + Thread.currentThread().threadId());
                }));
            }
            go.countDown();
            int checked = 0;
            int throttled = 0;
            long retryAfter = 0;
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
                if (response.statusCode() == 401) {
                    checked++;
                } else {
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
                    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith(PROBLEM_JSON);
                    assertThat(response.body()).contains("/problems/login-throttled");
                    retryAfter = Math.max(retryAfter, Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow()));
                    throttled++;
                }
            }
            System.out.println("LoginTokensLimitsIT: of " + parallel + " parallel wrong logins " + checked
                    + " were checked, " + throttled + " throttled (Retry-After " + retryAfter + " s)");
            assertThat(checked).as("passwords checked of 40 sent at once").isLessThanOrEqualTo(4);
            assertThat(throttled).isEqualTo(parallel - checked);
            // No lockout: once the wait is over the right password works.
            Thread.sleep(TimeUnit.SECONDS.toMillis(retryAfter));
            assertThat(login("maria", TestApp.USER_PASSWORD).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void logout_revokes_the_token_and_closes_the_socket_it_opened() throws Exception {
        String token = freshToken("alice");
        TestSocket socket = TestSocket.open(app.webSocketUrl("/api/agent/events", token));
        assertThat(socket.firstFrame()).contains("\"type\":\"state\"");

        HttpResponse<String> logout = app.request("POST", "/api/auth/logout", null, token);
        assertThat(logout.statusCode()).isEqualTo(204);
        assertThat(app.request("GET", "/api/me", null, token).statusCode()).as("the token is dead").isEqualTo(401);
        assertThat(socket.closeCode()).as("closed by the server: signed out").isEqualTo(4401);
        assertThat(app.request("POST", "/api/auth/ws-ticket", null, token).statusCode()).isEqualTo(401);
    }

    @Test
    void disabling_a_user_closes_their_open_socket() throws Exception {
        String admin = app.token("admin");
        String token = freshToken("bob");
        String bobId = JSON.readTree(app.request("GET", "/api/me", null, token).body()).path("id").asString();
        TestSocket socket = TestSocket.open(app.webSocketUrl("/api/agent/events", token));
        assertThat(socket.firstFrame()).contains("\"type\":\"state\"");
        try {
            assertThat(app.request("PATCH", "/api/admin/users/" + bobId, "{\"enabled\":false}", admin).statusCode())
                    .isEqualTo(200);
            assertThat(socket.closeCode()).isEqualTo(4401);
        } finally {
            app.request("PATCH", "/api/admin/users/" + bobId, "{\"enabled\":true}", admin);
        }
    }

    @Test
    void a_socket_ticket_works_once_and_the_token_itself_is_no_longer_taken_in_the_url() throws Exception {
        String token = app.token("carol");
        String url = app.webSocketUrl("/api/agent/events", token);
        TestSocket first = TestSocket.open(url);
        assertThat(first.firstFrame()).contains("\"type\":\"state\"");
        first.close();
        assertThat(TestSocket.refused(url)).as("a used ticket").isTrue();
        assertThat(TestSocket.refused("ws://127.0.0.1:" + app.port() + "/api/agent/events?access_token=" + token))
                .as("the long-lived token in a URL").isTrue();
    }

    @Test
    void a_webhook_body_past_64_KiB_and_a_lead_list_past_the_row_cap_get_413_problems() throws Exception {
        HttpResponse<String> webhook = send("/webhooks/telnyx", "application/json", "{\"data\":\"" + "x".repeat(70_000) + "\"}", null);
        assertThat(webhook.statusCode()).as(webhook.body()).isEqualTo(413);
        assertThat(webhook.headers().firstValue("Content-Type").orElse("")).startsWith(PROBLEM_JSON);
        assertThat(webhook.body()).contains("/problems/body-too-large");

        String campaign = new DialerCampaigns(() -> app).create("{\"name\":\"Big list\",\"dialRatio\":\"1.5\"}");
        StringBuilder csv = new StringBuilder("phone\n");
        for (int i = 0; i <= 100_000; i++) {
            csv.append("+1212").append(String.format("%07d", i)).append('\n');
        }
        HttpResponse<String> leads = send("/api/campaigns/" + campaign + "/leads", "text/csv", csv.toString(),
                app.token("maria"));
        assertThat(leads.statusCode()).as(leads.body()).isEqualTo(413);
        assertThat(leads.headers().firstValue("Content-Type").orElse("")).startsWith(PROBLEM_JSON);
        assertThat(leads.body()).contains("at most 100000 leads");
        JsonNode list = JSON.readTree(app.request("GET", "/api/campaigns/" + campaign + "/leads", null,
                app.token("maria")).body());
        assertThat(list.toString()).as("nothing of a refused list was imported").doesNotContain("+1212");
    }

    @Test
    void health_details_are_for_administrators_and_orchestrators_get_plain_probes() {
        HttpResponse<String> anonymous = app.request("GET", "/actuator/health", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(anonymous.body()).path("status").asString()).isEqualTo("UP");
        assertThat(anonymous.body()).as("no versions, start time or database details").doesNotContain("components")
                .doesNotContain("PostgreSQL").doesNotContain("asterisk");
        assertThat(app.request("GET", "/actuator/health", null, app.token("maria")).body())
                .as("a manager is no administrator").doesNotContain("components");
        HttpResponse<String> admin = app.request("GET", "/actuator/health", null, app.token("admin"));
        assertThat(JSON.readTree(admin.body()).path("components").path("db").path("details").path("database").asString())
                .isEqualTo("PostgreSQL");
        for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
            HttpResponse<String> response = app.request("GET", probe, null, null);
            assertThat(response.statusCode()).as(probe).isEqualTo(200);
            assertThat(response.body()).as(probe).isEqualTo("{\"status\":\"UP\"}");
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static HttpResponse<String> login(String username, String password) {
        return app.request("POST", "/api/auth/login",
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}", null);
    }

    private static String freshToken(String username) {
        HttpResponse<String> response = login(username, TestApp.USER_PASSWORD);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("token").asString();
    }

    private static HttpResponse<String> send(String path, String type, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
