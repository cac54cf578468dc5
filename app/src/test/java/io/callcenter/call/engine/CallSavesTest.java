package io.callcenter.call.engine;

import io.callcenter.call.CallState;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;

/** The save step with the database away: the call goes on, and its record is written whole and in order later. */
class CallSavesTest extends CallEngineFixture {

    @Test
    void a_call_ending_while_the_database_is_away_is_saved_whole_and_in_order_when_it_returns() {
        talkingInbound();
        store.outage = new DataAccessResourceFailureException("Connection to 127.0.0.1:5433 refused");
        callerHangsUp(at(30), 16);
        // The engine hung up the agent's leg in turn.
        event(new io.callcenter.asterisk.AsteriskEvent.StasisEnd(at(30), leg(0)));
        assertThat(store.transitions()).as("written before the outage").containsExactly("null>ROUTING",
                "ROUTING>RINGING", "RINGING>TALKING");
        assertThat(reservations).as("the agent is free at once, database or not").isEmpty();

        timers.runDue();
        assertThat(store.transitions()).as("still away: kept for the next try").hasSize(3);

        store.outage = null;
        timers.runDue();
        assertThat(saved().state()).isEqualTo(CallState.ENDED);
        assertThat(store.transitions()).containsExactly("null>ROUTING", "ROUTING>RINGING", "RINGING>TALKING",
                "TALKING>ENDING", "ENDING>ENDED");
        timers.runDue();
        assertThat(store.transitions()).as("written once").hasSize(5);
    }
}
