package io.callcenter.it;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhooks delivered all at once (group commit: one insert per batch of whatever arrived meanwhile) are each
 * stored and acknowledged once: every event answered 200 is in the inbox; a redelivery racing its original gets
 * {@code duplicate: true} while exactly one of the two is the first; badly signed ones are refused and stored nowhere.
 */
class WebhookIntakeIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Delivery(String id, boolean signed, HttpResponse<String> response) {
    }

    @Test
    void concurrent_webhooks_are_all_stored_and_each_acknowledged_once() throws Exception {
        String databaseUrl = TestDatabase.get().newDatabase();
        FakeTelnyx telnyx = new FakeTelnyx();
        TestApp app = TestApp.start(databaseUrl, TestAsterisk.get(), telnyx.appSettings(Map.of()));
        try {
            telnyx.webhooksTo(app);
            List<String[]> sends = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                sends.add(new String[] {"intake-" + i, "signed"});
            }
            for (int i = 0; i < 40; i++) {
                sends.add(new String[] {"intake-" + i, "signed"});  // redelivered while the first is in flight
            }
            for (int i = 0; i < 10; i++) {
                sends.add(new String[] {"intake-forged-" + i, "forged"});
            }
            Collections.shuffle(sends, new java.util.Random(14));
            long now = Instant.now().getEpochSecond();
            List<Future<Delivery>> pending = new ArrayList<>();
            try (ExecutorService senders = Executors.newFixedThreadPool(48)) {
                for (String[] send : sends) {
                    String body = """
                            {"data":{"record_type":"event","event_type":"call.answered","id":"%s","occurred_at":"%s",\
                            "payload":{"call_control_id":"v3:%s","client_state":null}}}""".formatted(send[0], Instant.now(), send[0]);
                    boolean signed = send[1].equals("signed");
                    pending.add(senders.submit(() -> new Delivery(send[0], signed, telnyx.deliver(body, now, signed))));
                }
            }
            Map<String, List<Boolean>> duplicates = new java.util.HashMap<>();
            for (Future<Delivery> future : pending) {
                Delivery d = future.get();
                if (!d.signed()) {
                    assertThat(d.response().statusCode()).as(d.id()).isEqualTo(401);
                    continue;
                }
                assertThat(d.response().statusCode()).as(d.id() + " " + d.response().body()).isEqualTo(200);
                duplicates.computeIfAbsent(d.id(), id -> new ArrayList<>())
                        .add(JSON.readTree(d.response().body()).path("duplicate").asBoolean());
            }
            assertThat(duplicates).hasSize(150);
            duplicates.forEach((id, answers) -> assertThat(answers).as(id).containsOnlyOnce(false)
                    .hasSize(id.matches("intake-([0-9]|[1-3][0-9])") ? 2 : 1));
            try (Connection db = DriverManager.getConnection(databaseUrl, TestDatabase.get().user(), TestDatabase.get().password());
                 ResultSet rows = db.createStatement().executeQuery("select count(*) filter (where event_id like 'intake-forged-%'),"
                         + " count(distinct event_id) filter (where event_id ~ '^intake-[0-9]+$') from telnyx_inbox")) {
                rows.next();
                assertThat(rows.getLong(1)).as("forged events stored").isZero();
                assertThat(rows.getLong(2)).as("acknowledged events stored").isEqualTo(150);
            }
        } finally {
            app.close();
        }
    }
}
