package io.callcenter.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's management pages in headless Chromium, as a manager uses them: switching a dialling campaign off
 * with a reason (the stand-in carrier then sees no new dial), importing a CSV with bad rows (the page shows each
 * rejected row with its line number) and the reports page drawing its charts. Screenshots of every page are left
 * in app/target/console-management-it/ to be looked at.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleManagementBrowserIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration SIGNAL = Duration.ofSeconds(15);
    private static final Duration SOON = Duration.ofSeconds(8);
    private static final String CAMPAIGN = "Winter renewals";
    private static final Path ARTIFACTS = TestAsterisk.repoDir().resolve("app/target/console-management-it");

    private static DialerRig rig;
    private static DialerCampaigns campaigns;
    private static BrowserSoftphone browser;
    private static String campaignId;

    @BeforeAll
    static void start() throws Exception {
        rig = DialerRig.startTls(Map.of());
        campaigns = new DialerCampaigns(rig::app);
        Path microphone = ARTIFACTS.resolve("silence-ish-300hz.wav");
        BrowserSoftphone.writeToneWav(microphone, 300.0, Duration.ofSeconds(2));
        browser = BrowserSoftphone.start(rig.app().baseUrl() + "/", microphone, ARTIFACTS);
        JsonNode landed = browser.run("signIn", SIGNAL, "username", "maria", "password", TestApp.USER_PASSWORD);
        assertThat(landed.path("page").asString()).isEqualTo("console");
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        DialerRig.stop(rig);
    }

    @Test
    @Order(1)
    void the_manager_switches_a_dialling_campaign_off_with_a_reason_and_the_dialler_stops() throws Exception {
        campaignId = campaigns.create("{\"name\":\"" + CAMPAIGN + "\",\"dialRatio\":\"ADAPTIVE\"}");
        StringBuilder csv = new StringBuilder("phone\n");
        for (int n = 10; n < 30; n++) {
            csv.append("+1 212 555 04").append(n).append('\n');
        }
        campaigns.importLeads(campaignId, csv.toString());
        campaigns.enable(campaignId);
        FakeTelnyx telnyx = rig.telnyx();
        List<FakeTelnyx.Dial> ringing = new ArrayList<>(List.of(telnyx.awaitDial(SOON)));
        // While it is on, a line that frees up is dialled again: the absence of dials below means something.
        FakeTelnyx.Dial first = ringing.removeFirst();
        telnyx.send(first, "call.initiated", Map.of());
        telnyx.send(first, "call.hangup", Map.of("hangup_cause", "timeout"));
        FakeTelnyx.Dial again = telnyx.awaitDial(SOON);
        assertThat(again).as("a freed line is dialled again while the campaign is on").isNotNull();
        ringing.add(again);
        for (FakeTelnyx.Dial more; (more = telnyx.pollDial(Duration.ofSeconds(1))) != null; ) {
            ringing.add(more);
        }

        JsonNode shown = browser.run("switchCampaignOff", SIGNAL, "name", CAMPAIGN, "reason", "Script under review");
        assertThat(shown.path("status").asString()).isEqualTo("off");
        assertThat(shown.path("why").asString()).isEqualTo("Script under review");
        JsonNode campaign = campaigns.get("/api/campaigns/" + campaignId).path("campaign");
        assertThat(campaign.path("enabled").asBoolean()).isFalse();
        assertThat(campaign.path("enabledReason").asString()).isEqualTo("Script under review");

        // The lines that were ringing end unanswered: switched off, the dialler places no new call for them.
        for (FakeTelnyx.Dial dial : ringing) {
            telnyx.send(dial, "call.initiated", Map.of());
            telnyx.send(dial, "call.hangup", Map.of("hangup_cause", "timeout"));
        }
        assertThat(telnyx.pollDial(Duration.ofSeconds(3))).as("no dial after the switch-off").isNull();
        browser.run("screenshotPage", SIGNAL, "hash", "#campaigns/" + campaignId, "ready", "stats-card",
                "name", "campaign-switched-off", "dir", ARTIFACTS.toString());
    }

    @Test
    @Order(2)
    void a_csv_with_bad_rows_shows_its_validation_report_with_line_numbers() {
        JsonNode report = browser.run("importLeadsCsv", SIGNAL, "name", CAMPAIGN, "csv",
                "phone,name\n+1 212 555 0501,Ann\nnot a number,Bob\n212-555-0502,Cleo\n12,Dan\n");
        assertThat(report.path("summary").asString()).isEqualTo("4 rows: 2 new leads, 0 merged, 2 rejected.");
        assertThat(report.path("rejected").valueStream().map(r -> r.path("line").asInt()).toList()).containsExactly(3, 5);
        assertThat(report.path("rejected").get(0).path("value").asString()).isEqualTo("not a number");
        assertThat(report.path("leadRows").asInt()).isGreaterThanOrEqualTo(2);
        browser.run("screenshotPage", SIGNAL, "hash", "#campaigns/" + campaignId, "ready", "import-summary",
                "name", "campaign-import-report", "dir", ARTIFACTS.toString());
    }

    /** Calls of today seeded in the database: the reports page shows their figures and draws every chart. */
    @Test
    @Order(3)
    void the_reports_page_draws_its_charts() throws Exception {
        UUID psychology = UUID.fromString(campaigns.get("/api/campaigns/" + campaignId).path("campaign").path("teamId").asString());
        try (Connection db = rig.app().bean(DataSource.class).getConnection()) {
            Instant now = Instant.now();
            seedCall(db, psychology, now.minusSeconds(1800), 12, 200);
            seedCall(db, psychology, now.minusSeconds(1500), 35, 90);
            seedCall(db, psychology, now.minusSeconds(1200), 8, null);
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        JsonNode shown = browser.run("showReports", SIGNAL, "from", today.minusDays(1).toString(),
                "to", today.plusDays(1).toString(), "interval", "day");
        assertThat(shown.path("offered").asString()).isEqualTo("3");
        assertThat(shown.path("answered").asString()).isEqualTo("2");
        assertThat(shown.path("charts").path("intervals").asInt()).as("the interval chart drew").isPositive();
        assertThat(shown.path("charts").path("agents").asInt()).as("the agent chart drew").isPositive();
        assertThat(shown.path("charts").path("campaigns").asInt()).as("the campaign chart drew").isPositive();
    }

    @Test
    @Order(4)
    void the_campaign_form_saves_per_outcome_maximums_and_preview_keeps_what_it_does_not_show_and_recycles() {
        // A wait the form has no field for: saving the form must not drop it.
        var set = rig.app().request("PUT", "/api/campaigns/" + campaignId,
                "{\"retry\":{\"retryAfterSeconds\":{\"NO_ANSWER\":3600,\"WRONG_NUMBER\":7200}}}", rig.app().token("maria"));
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);

        JsonNode saved = browser.run("saveCampaignSettings", SIGNAL, "name", CAMPAIGN, "values",
                Map.of("dialRatio", "PREVIEW", "max-NO_ANSWER", "2", "retry-DISCONNECTED", "30", "max-BUSY", "3"));
        assertThat(saved.path("ok").asBoolean()).as("%s", saved).isTrue();
        browser.run("screenshotNow", SIGNAL, "name", "campaign-form-retry", "dir", ARTIFACTS.toString());
        JsonNode campaign = campaigns.get("/api/campaigns/" + campaignId).path("campaign");
        assertThat(campaign.path("dialMode").asString()).isEqualTo("PREVIEW");
        JsonNode retry = campaign.path("retry");
        assertThat(retry.path("maxAttemptsAfter").path("NO_ANSWER").asInt()).isEqualTo(2);
        assertThat(retry.path("maxAttemptsAfter").path("BUSY").asInt()).isEqualTo(3);
        assertThat(retry.path("retryAfter").path("DISCONNECTED").asString()).isEqualTo("PT30M");
        assertThat(retry.path("retryAfter").path("NO_ANSWER").asString()).isEqualTo("PT1H");
        assertThat(retry.path("retryAfter").path("WRONG_NUMBER").asString()).as("not in the form, kept").isEqualTo("PT2H");

        JsonNode recycled = browser.run("recycleCampaign", SIGNAL, "name", CAMPAIGN, "statuses", List.of("NO_ANSWER", "BUSY"));
        assertThat(recycled.path("ok").asBoolean()).as("%s", recycled).isTrue();
        assertThat(recycled.path("message").asString()).matches("\\d+ lead\\(s\\) back in the dial list \\(NO_ANSWER, BUSY\\)\\.");
        browser.run("screenshotNow", SIGNAL, "name", "campaign-recycled", "dir", ARTIFACTS.toString());
    }

    @Test
    @Order(5)
    void every_console_page_is_screenshot() {
        String dir = ARTIFACTS.toString();
        browser.run("screenshotPage", SIGNAL, "hash", "#wallboard", "ready", "tiles", "name", "page-wallboard", "dir", dir);
        browser.run("screenshotPage", SIGNAL, "hash", "#campaigns", "ready", "campaign-list", "name", "page-campaigns", "dir", dir);
        browser.run("screenshotPage", SIGNAL, "hash", "#dnc", "ready", "dnc-search", "name", "page-dnc", "dir", dir);
        browser.run("screenshotPage", SIGNAL, "hash", "#people", "ready", "people-agents", "name", "page-people", "dir", dir);
        browser.run("screenshotPage", SIGNAL, "hash", "#reports", "ready", "intervals-chart", "name", "page-reports", "dir", dir);
        browser.run("screenshotPage", SIGNAL, "hash", "#api", "ready", "api-list", "name", "page-api", "dir", dir);
        assertThat(ARTIFACTS.resolve("page-reports.png")).exists();

        // An administrator's People page: users and teams besides the agents.
        browser.run("signOut", SIGNAL);
        assertThat(browser.run("signIn", SIGNAL, "username", "admin", "password", TestApp.USER_PASSWORD)
                .path("page").asString()).isEqualTo("console");
        browser.run("screenshotPage", SIGNAL, "hash", "#people", "ready", "users", "name", "page-people-admin", "dir", dir);
    }

    private static void seedCall(Connection db, UUID team, Instant created, int waitSeconds, Integer talkSeconds)
            throws Exception {
        Instant answered = talkSeconds == null ? null : created.plusSeconds(waitSeconds);
        Instant ended = created.plusSeconds(waitSeconds + (talkSeconds == null ? 0 : talkSeconds));
        try (PreparedStatement insert = db.prepareStatement("""
                insert into call (id, direction, state, from_number, to_number, team_id, created_at, answered_at, ended_at,
                                  hangup_cause, origin)
                values (?, 'inbound', 'ENDED', '+12125550001', '+15550100', ?, ?, ?, ?, 'normal_clearing', 'inbound')""")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setObject(2, team);
            insert.setTimestamp(3, Timestamp.from(created));
            insert.setTimestamp(4, answered == null ? null : Timestamp.from(answered));
            insert.setTimestamp(5, Timestamp.from(ended));
            insert.executeUpdate();
        }
    }
}
