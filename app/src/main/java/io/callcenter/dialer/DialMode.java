package io.callcenter.dialer;

/**
 * Dials per available agent: three fixed presets, adaptive (steered by the measured abandon rate), predictive (the
 * same, dialling ahead of agents about to finish), progressive (one dial per free agent, reserved before the dial)
 * or preview (the agent sees the lead first and dials it).
 */
public enum DialMode {
    CONSERVATIVE("1.5", 1.5), BALANCED("2.0", 2.0), AGGRESSIVE("3.0", 3.0), ADAPTIVE("ADAPTIVE", Double.NaN),
    /** Adaptive's ratio, applied to the agents expected to be free when a person answers ({@link PredictivePacer}). */
    PREDICTIVE("PREDICTIVE", Double.NaN),
    /**
     * One dial per free agent, who is reserved before the dial: a person answering always has their agent, so no
     * abandon is possible, at the price of the agent waiting through ringing and detection.
     */
    PROGRESSIVE("PROGRESSIVE", 1.0),
    /**
     * The dialer dials nothing: an available agent is offered the next lead and chooses Dial (their own call, the
     * agent on the line from the first ring, so no abandon is possible) or Skip.
     */
    PREVIEW("PREVIEW", 1.0);

    private final String code;
    private final double fixedRatio;

    DialMode(String code, double fixedRatio) {
        this.code = code;
        this.fixedRatio = fixedRatio;
    }

    public String code() {
        return code;
    }

    public double fixedRatio() {
        return fixedRatio;
    }

    /** Whether each dial holds an agent from the moment it is placed. */
    public boolean reservesAgent() {
        return this == PROGRESSIVE;
    }

    /** Whether the agent dials each lead themselves after a preview: the campaign places no call of its own. */
    public boolean agentDials() {
        return this == PREVIEW;
    }

    /** Whether the guard moves the ratio freely between 1.0 and 3.0 (no preset ceiling). */
    public boolean steered() {
        return Double.isNaN(fixedRatio);
    }

    public static DialMode fromCode(String code) {
        for (DialMode mode : values()) {
            if (mode.code.equalsIgnoreCase(code) || mode.name().equalsIgnoreCase(code)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("dialRatio must be 1.5, 2.0, 3.0, ADAPTIVE, PREDICTIVE, PROGRESSIVE or PREVIEW, not '" + code + "'");
    }
}
