package io.callcenter.dialer;

/** Dials per available agent: three fixed presets, or adaptive (steered by the measured abandon rate). */
public enum DialMode {
    CONSERVATIVE("1.5", 1.5), BALANCED("2.0", 2.0), AGGRESSIVE("3.0", 3.0), ADAPTIVE("ADAPTIVE", Double.NaN);

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

    public static DialMode fromCode(String code) {
        for (DialMode mode : values()) {
            if (mode.code.equalsIgnoreCase(code) || mode.name().equalsIgnoreCase(code)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("dialRatio must be 1.5, 2.0, 3.0 or ADAPTIVE, not '" + code + "'");
    }
}
