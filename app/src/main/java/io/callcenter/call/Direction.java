package io.callcenter.call;

public enum Direction {
    INBOUND, OUTBOUND, INTERNAL;

    public String dbValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Direction fromDb(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
