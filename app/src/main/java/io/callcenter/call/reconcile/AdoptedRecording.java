package io.callcenter.call.reconcile;

/**
 * The recording of a call adopted from the database (after a restart or another instance's death). The database
 * names the recording and says whether it was paused; Asterisk says whether it still runs. It cannot say whether it
 * is muted, so a payment pause is the database's word: a call paused when its instance died stays paused, and the
 * agent's resume (once the card digits are over) is what unmutes it.
 */
final class AdoptedRecording {

    /** What Asterisk answered about the saved recording's name. */
    enum Found { LIVE, GONE, UNKNOWN }

    /** The adopted call's recording (null: none runs) and whether it is paused; {@code note} for the call's log. */
    record Outcome(String name, boolean muted, String note) {
        static final Outcome NONE = new Outcome(null, false, null);
    }

    private AdoptedRecording() {
    }

    static Outcome decide(String savedName, boolean savedPaused, Found found) {
        if (savedName == null) {
            return Outcome.NONE;
        }
        return switch (found) {
            // Ended while no instance listened: the housekeeping registers the file it left.
            case GONE -> new Outcome(null, false, "recording " + savedName + " no longer runs");
            // Asterisk unreachable now: the call's own commands will fail alike; the saved facts are the best guess.
            case LIVE, UNKNOWN -> new Outcome(savedName, savedPaused,
                    savedName + (savedPaused ? " paused" : " running") + (found == Found.UNKNOWN ? " (unconfirmed)" : ""));
        };
    }
}
