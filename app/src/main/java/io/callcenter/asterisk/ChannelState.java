package io.callcenter.asterisk;

public enum ChannelState {
    DOWN, RESERVED, OFFHOOK, DIALING, RING, RINGING, UP, BUSY, DIALING_OFFHOOK, PRERING, MUTE, UNKNOWN;

    public static ChannelState fromAri(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        return switch (value) {
            case "Down" -> DOWN;
            case "Rsrved" -> RESERVED;
            case "OffHook" -> OFFHOOK;
            case "Dialing" -> DIALING;
            case "Ring" -> RING;
            case "Ringing" -> RINGING;
            case "Up" -> UP;
            case "Busy" -> BUSY;
            case "Dialing Offhook" -> DIALING_OFFHOOK;
            case "Pre-ring" -> PRERING;
            case "Mute" -> MUTE;
            default -> UNKNOWN;
        };
    }
}
