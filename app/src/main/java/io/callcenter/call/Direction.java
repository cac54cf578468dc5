package io.callcenter.call;

public enum Direction {
    INBOUND, OUTBOUND, INTERNAL;

    String dbValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Direction fromDb(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
