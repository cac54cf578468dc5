package io.callcenter.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The call history's pages, walked with their keyset cursors, give each role exactly the calls it may see, newest
 * first, each once: agents the calls they took and those they only had a leg in (rung, several times in one
 * call, or transferred to), managers their team's, administrators all. Calls share creation instants (the id
 * breaks the tie) and the page size divides nothing evenly. The expected lists come from the visibility rule written
 * as one plain query over the same rows.
 */
class CallHistoryIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static String databaseUrl;
    private static TestApp app;

    @BeforeAll
    static void seed() throws Exception {
        databaseUrl = TestDatabase.get().newDatabase();
        app = TestApp.start(databaseUrl, TestAsterisk.get(), Map.of());
        try (Connection db = connect(); Statement sql = db.createStatement()) {
            sql.execute("""
                    create temporary table who as select
                      (select agent_id from app_user where username = 'alice') as alice,
                      (select agent_id from app_user where username = 'bob') as bob,
                      (select agent_id from app_user where username = 'carol') as carol,
                      (select a.team_id from agent a join app_user u on u.agent_id = a.id where username = 'alice') as psychology,
                      (select a.team_id from agent a join app_user u on u.agent_id = a.id where username = 'carol') as sales;
                    insert into call (id, direction, state, from_number, to_number, agent_id, team_id, created_at, ended_at, origin)
                    select md5('history' || i)::uuid, 'inbound', 'ENDED', '+12125550' || lpad(i::text, 3, '0'), '+15550100',
                           case i % 5 when 0 then who.alice when 1 then who.bob when 2 then who.bob when 3 then who.carol end,
                           case when i % 5 = 3 then who.sales else who.psychology end,
                           timestamptz '2026-11-01 10:00:00Z' + (i / 3) * interval '1 second',
                           timestamptz '2026-11-01 11:00:00Z', 'inbound'
                    from generate_series(1, 61) i, who;
                    -- alice's legs: rung in bob's calls (twice in every other one), and in some unanswered team calls
                    insert into call_leg (channel_id, call_id, role, endpoint, agent_id, created_at)
                    select 'h-' || i || '-' || k, md5('history' || i)::uuid, 'callee', 'PJSIP/1001', who.alice,
                           timestamptz '2026-11-01 10:00:00Z' + (i / 3) * interval '1 second' + k * interval '1 second'
                    from generate_series(1, 61) i, generate_series(1, 2) k, who
                    where (i % 5 = 1 and (k = 1 or i % 10 = 1)) or (i % 5 = 4 and i % 4 = 0 and k = 1);
                    insert into call_leg (channel_id, call_id, role, endpoint, agent_id, created_at)
                    select 'h-' || i || '-bob', md5('history' || i)::uuid, 'callee', 'PJSIP/1002', who.bob,
                           timestamptz '2026-11-01 10:00:00Z' + (i / 3) * interval '1 second'
                    from generate_series(1, 61) i, who where i % 5 in (1, 2)
                    """);
        }
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void an_agent_walks_the_calls_they_took_and_those_they_had_a_leg_in_each_once_newest_first() throws Exception {
        List<String> expected = expected("c.agent_id = (select alice from who0) or exists (select 1 from call_leg l"
                + " where l.call_id = c.id and l.agent_id = (select alice from who0))");
        assertThat(expected).hasSizeGreaterThan(20);
        assertThat(walk("alice", 7)).containsExactlyElementsOf(expected);
        assertThat(walk("bob", 4)).containsExactlyElementsOf(expected("c.agent_id = (select bob from who0) or exists"
                + " (select 1 from call_leg l where l.call_id = c.id and l.agent_id = (select bob from who0))"));
    }

    @Test
    void a_manager_walks_the_teams_calls_and_an_administrator_all() throws Exception {
        assertThat(walk("maria", 9)).containsExactlyElementsOf(expected("c.team_id = (select psychology from who0)"));
        assertThat(walk("admin", 10)).containsExactlyElementsOf(expected("true")).hasSize(61);
    }

    @Test
    void a_leg_carries_its_calls_creation_instant_so_the_agents_legs_are_read_in_the_historys_order() throws Exception {
        try (Connection db = connect(); Statement sql = db.createStatement();
             ResultSet rows = sql.executeQuery("select count(*) filter (where l.call_created_at = c.created_at), count(*)"
                     + " from call_leg l join call c on c.id = l.call_id")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(rows.getLong(2)).isPositive();
        }
    }

    /** Every page of the user's history, by nextCursor, as call ids in page order. */
    private static List<String> walk(String user, int limit) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = JSON.readTree(app.request("GET", "/api/calls?limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor),
                    null, app.token(user)).body());
            assertThat(page.path("items").size()).isLessThanOrEqualTo(limit);
            page.path("items").forEach(item -> ids.add(item.path("id").asString()));
            cursor = page.path("nextCursor").asString(null);
        } while (cursor != null);
        return ids;
    }

    private static List<String> expected(String visible) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection db = connect(); Statement sql = db.createStatement()) {
            sql.execute("""
                    create temporary table who0 as select
                      (select agent_id from app_user where username = 'alice') as alice,
                      (select agent_id from app_user where username = 'bob') as bob,
                      (select a.team_id from agent a join app_user u on u.agent_id = a.id where username = 'alice') as psychology""");
            try (ResultSet rows = sql.executeQuery("select id from call c where " + visible + " order by created_at desc, id desc")) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }

    private static Connection connect() throws Exception {
        return DriverManager.getConnection(databaseUrl, TestDatabase.get().user(), TestDatabase.get().password());
    }
}
