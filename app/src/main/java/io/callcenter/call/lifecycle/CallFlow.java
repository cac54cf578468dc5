package io.callcenter.call.lifecycle;

import io.callcenter.call.model.Call;
import io.callcenter.call.model.Leg;
import io.callcenter.call.model.Origin;

import java.time.Instant;

/**
 * One way a call begins. The engine starts a call through its flow and asks the flow what a failed or connected
 * callee means; everything else (parties, conference, transfer, recording, limit) is the same for every call.
 */
public interface CallFlow {

    Origin origin();

    /** The callee we rang did not answer, was busy or could not be dialled, while the caller still waits. */
    void calleeFailed(Call call, Leg leg, Instant at);

    /** The caller and the callee now hear each other. */
    default void connected(Call call, Instant at) {
    }

    /** A key pressed on one of the call's legs. */
    default void keyPressed(Call call, Leg leg, String digit, Instant at) {
    }
}
