package io.callcenter.call.model;

/** Names of the Q.850 release causes Asterisk reports most, for call records people can read. */
public final class Q850 {

    private Q850() {
    }

    public static String text(int cause) {
        return switch (cause) {
            case 1 -> "Unallocated (unassigned) number";
            case 3 -> "No route to destination";
            case 16 -> "Normal Clearing";
            case 17 -> "User busy";
            case 18 -> "No user responding";
            case 19 -> "User alerting, no answer";
            case 20 -> "Subscriber absent";
            case 21 -> "Call Rejected";
            case 27 -> "Destination out of order";
            case 28 -> "Invalid number format";
            case 31 -> "Normal, unspecified";
            case 32 -> "Normal, unspecified (hung up by the application)";
            case 34 -> "No circuit/channel available";
            case 38 -> "Network out of order";
            case 41 -> "Temporary failure";
            case 127 -> "Interworking, unspecified";
            default -> "Cause " + cause;
        };
    }
}
