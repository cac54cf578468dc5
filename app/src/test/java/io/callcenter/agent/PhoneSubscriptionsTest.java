package io.callcenter.agent;

import io.callcenter.call.engine.RecordingGateway;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The app subscribed to the agents' phones only, in batches, again on every connection, and to new phones once. */
class PhoneSubscriptionsTest {

    private final RecordingGateway asterisk = new RecordingGateway();
    private final PhoneSubscriptions phones = new PhoneSubscriptions(asterisk);

    @Test
    void every_agents_phone_is_subscribed_in_batches_never_the_whole_technology() {
        List<String> extensions = IntStream.range(0, 120).mapToObj(i -> String.valueOf(1000 + i)).toList();

        phones.subscribeAll(extensions);

        assertThat(asterisk.drain()).containsExactly(
                "subscribeEndpoints PJSIP " + extensions.subList(0, 50),
                "subscribeEndpoints PJSIP " + extensions.subList(50, 100),
                "subscribeEndpoints PJSIP " + extensions.subList(100, 120));
        assertThat(extensions).allMatch(phones::isSubscribed);
    }

    @Test
    void a_new_agents_phone_is_subscribed_once_and_every_phone_again_after_a_reconnection() {
        phones.subscribeAll(List.of("1001"));
        asterisk.drain();

        phones.subscribeNew("1002");
        phones.subscribeNew("1002");
        phones.subscribeNew("1001");
        assertThat(asterisk.drain()).as("re-phoning a known agent pushes their endpoint again, not the subscription")
                .containsExactly("subscribeEndpoints PJSIP [1002]");

        phones.subscribeAll(List.of("1001", "1002"));
        assertThat(asterisk.drain()).as("a restarted Asterisk knows none of them")
                .containsExactly("subscribeEndpoints PJSIP [1001, 1002]");
    }

    @Test
    void a_missing_endpoint_does_not_cost_the_other_phones_their_subscription_and_is_tried_again_with_its_next_push() {
        asterisk.missingEndpoints.add("1002");

        phones.subscribeAll(List.of("1001", "1002", "1003"));

        assertThat(asterisk.drain()).containsExactly("subscribeEndpoints PJSIP [1001]", "subscribeEndpoints PJSIP [1003]");
        assertThat(phones.isSubscribed("1002")).isFalse();

        asterisk.missingEndpoints.clear();
        phones.subscribeNew("1002");
        assertThat(asterisk.drain()).containsExactly("subscribeEndpoints PJSIP [1002]");
        assertThat(phones.isSubscribed("1002")).isTrue();
    }
}
