package io.callcenter.call.supervision;

/**
 * How a supervisor joins a call, as the snoop channel on the agent's leg makes it (Wazo's recipe): the snoop always
 * spies both directions, so the supervisor hears agent and customer; what the supervisor says is whispered nowhere
 * (listen), only towards the agent ({@code out}: what the channel sends to the agent's phone), or both ways
 * ({@code both}: also into what the agent's channel feeds the call's bridge, so the customer and the recording hear it).
 */
public enum Mode {
    LISTEN("none"), WHISPER("out"), BARGE("both");

    /** ARI's {@code spy} for every mode: both directions of the agent's leg. */
    public static final String SPY = "both";

    private final String whisper;

    Mode(String whisper) {
        this.whisper = whisper;
    }

    public String whisper() {
        return whisper;
    }
}
