package io.callcenter.voicemail;

import io.callcenter.identity.Caller;
import io.callcenter.identity.Permissions;
import io.callcenter.identity.Role;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Who hears which box: the rules of call recordings, for boxes. */
class VoicemailAccessTest {

    private final UUID psychology = UUID.randomUUID();
    private final UUID sales = UUID.randomUUID();
    private final UUID alice = UUID.randomUUID();
    private final UUID bob = UUID.randomUUID();
    private final VoicemailBox teamBox = box(psychology, null);
    private final VoicemailBox aliceBox = box(psychology, alice);

    private static VoicemailBox box(UUID team, UUID agent) {
        return new VoicemailBox(UUID.randomUUID(), team, agent, "box", null, false, Duration.ofSeconds(60), Duration.ofSeconds(5));
    }

    private static Caller caller(Role role, UUID team, UUID agent) {
        return new Caller(UUID.randomUUID(), "someone", role, team, agent,
                Permissions.expand(role == Role.AGENT ? java.util.List.of(Permissions.CALLS_DIAL)
                        : role == Role.MANAGER ? java.util.List.of(Permissions.CALLS_DIAL, Permissions.TEAM_READ)
                        : java.util.List.of(Permissions.CALLS_DIAL, Permissions.ADMIN)));
    }

    @Test
    void agents_hear_their_own_box_and_their_teams_but_not_a_colleagues() {
        assertThat(VoicemailService.sees(caller(Role.AGENT, psychology, alice), aliceBox)).isTrue();
        assertThat(VoicemailService.sees(caller(Role.AGENT, psychology, alice), teamBox)).isTrue();
        assertThat(VoicemailService.sees(caller(Role.AGENT, psychology, bob), aliceBox)).isFalse();
        assertThat(VoicemailService.sees(caller(Role.AGENT, psychology, bob), teamBox)).isTrue();
    }

    @Test
    void managers_hear_every_box_of_their_team_and_administrators_all() {
        assertThat(VoicemailService.sees(caller(Role.MANAGER, psychology, null), aliceBox)).isTrue();
        assertThat(VoicemailService.sees(caller(Role.MANAGER, psychology, null), teamBox)).isTrue();
        assertThat(VoicemailService.sees(caller(Role.ADMIN, null, null), aliceBox)).isTrue();
    }

    @Test
    void another_teams_boxes_do_not_exist_for_anyone_of_that_team() {
        assertThat(VoicemailService.sees(caller(Role.AGENT, sales, UUID.randomUUID()), teamBox)).isFalse();
        assertThat(VoicemailService.sees(caller(Role.MANAGER, sales, null), aliceBox)).isFalse();
    }
}
