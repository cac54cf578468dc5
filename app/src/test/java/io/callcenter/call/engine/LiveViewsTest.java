package io.callcenter.call.engine;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.call.store.CallView;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the API reads of a call the engine runs: taken after every step, before the step is announced, with the
 * call's whole history, whether or not its rows are written; an ended call's view until its end is written.
 */
class LiveViewsTest extends CallEngineFixture {

    @Test
    void every_announced_state_is_served_at_once_with_the_call_s_history_while_its_rows_are_not_written() {
        store.outage = new DataAccessResourceFailureException("Connection to 127.0.0.1:5433 refused");
        carrierCalls(DID);
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-1", io.callcenter.asterisk.ChannelState.UP)));
        assertThat(store.transitions()).as("nothing written").isEmpty();
        UUID callId = updates.getLast().callId();
        CallView talking = engine.views().view(callId).orElseThrow();
        assertThat(talking.state()).isEqualTo("TALKING");
        assertThat(talking.events()).extracting(CallView.EventView::toState).startsWith("ROUTING", "RINGING", "TALKING");
        assertThat(updates.getLast().state()).as("announced").isEqualTo("TALKING");

        callerHangsUp(at(30), 16);
        event(new AsteriskEvent.StasisEnd(at(30), leg(0)));
        CallView ended = engine.views().view(callId).orElseThrow();
        assertThat(ended.state()).as("ended, its end not written: still served from memory").isEqualTo("ENDED");
        assertThat(ended.events()).extracting(CallView.EventView::toState).endsWith("ENDING", "ENDED");
        assertThat(engine.liveCalls()).as("no longer live").isZero();

        store.outage = null;
        timers.runDue();
        assertThat(store.transitions()).as("written now").hasSize(5);
        assertThat(ended.events()).extracting(CallView.EventView::event).as("memory's history is what was written")
                .isEqualTo(store.transitionEvents());
        assertThat(engine.views().view(callId)).as("its row answers from now on").isEmpty();
    }

    @Test
    void a_call_another_instance_takes_over_is_no_longer_served_from_here() {
        UUID callId = talkingInbound();
        assertThat(engine.views().view(callId)).isPresent();
        engine.floorGivenUp();
        assertThat(engine.views().view(callId)).isEmpty();
    }
}
