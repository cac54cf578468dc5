package io.callcenter.testkit.sip;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * A call's audio as a test plays and hears it: tones, silence and DTMF sent over the call's RTP session, and tone
 * checks on what arrived ({@link ToneDetector}). {@link SipCall} is this plus its SIP dialog.
 */
abstract sealed class CallAudio permits SipCall {

    private static final Logger log = LoggerFactory.getLogger(CallAudio.class);
    /** -10 dBFS leaves headroom for a conference mixer summing three parties without clipping. */
    public static final double DEFAULT_TONE_DBFS = -10.0;
    public static final Duration DEFAULT_WINDOW = Duration.ofMillis(500);

    final RtpSession rtp;
    private final String phoneName;

    CallAudio(RtpSession rtp, String phoneName) {
        this.rtp = rtp;
        this.phoneName = phoneName;
    }

    /** Sends a sine at {@value #DEFAULT_TONE_DBFS} dBFS from answer on (immediately if already answered). */
    public void playTone(double hz) {
        playTone(hz, DEFAULT_TONE_DBFS);
    }

    public void playTone(double hz, double dbfs) {
        if (hz <= 0 || hz >= ToneDetector.SAMPLE_RATE / 2.0) {
            throw new IllegalArgumentException("tone must be between 0 and 4000 Hz: " + hz);
        }
        rtp.tone(hz, dbfs);
    }

    /** Keeps sending frames, but of digital silence. */
    public void playSilence() {
        rtp.silence();
    }

    /** Stops sending RTP altogether (a media gap, as a muted phone with silence suppression would). */
    public void stopAudio() {
        rtp.mute();
    }

    /** Queues RFC 4733 telephone-events (100 ms each, 60 ms apart) for the given digits (0-9 * # A-D). */
    public void sendDtmf(CharSequence digits) {
        for (int i = 0; i < digits.length(); i++) {
            rtp.dtmf(digits.charAt(i));
        }
    }

    public void sendDtmf(char digit) {
        rtp.dtmf(digit);
    }

    /** Digits received as RFC 4733 telephone-events so far. */
    public String receivedDtmf() {
        return rtp.receivedDtmf();
    }

    public AudioStats audioStats() {
        return rtp.stats();
    }

    /** Decoded audio received during the last {@code window} of wall time (empty if nothing arrived). */
    public short[] receivedAudio(Duration window) {
        return rtp.received(window);
    }

    /** Whether a tone at {@code hz} is in the audio received during the last 500 ms. */
    public boolean hears(double hz) {
        return hears(hz, DEFAULT_WINDOW);
    }

    /** Whether a tone at {@code hz} is in the audio received during the last {@code window}; see {@link ToneDetector}. */
    public boolean hears(double hz, Duration window) {
        return ToneDetector.detect(rtp.received(window), hz);
    }

    /** The detector's numbers for {@code hz} over the last {@code window}, for diagnostics. */
    public ToneDetector.Result analyseTone(double hz, Duration window) {
        return ToneDetector.analyse(rtp.received(window), hz);
    }

    /** Polls {@link #hears(double)} until true or {@code timeout}; logs why at WARN when it gives up. */
    public boolean awaitHearing(double hz, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (hears(hz)) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                log.warn("[{}] {} did not hear {} Hz within {}: {}; {}", phoneName, this, hz, SipTrace.format(timeout),
                        analyseTone(hz, DEFAULT_WINDOW), audioStats());
                return false;
            }
            sleep(40);
        }
    }

    /** As {@link #awaitHearing} but fails with an explanatory {@link AssertionError}. */
    public void assertHears(double hz, Duration timeout) {
        if (!awaitHearing(hz, timeout)) {
            throw new AssertionError(phoneName + ": " + this + " did not hear " + hz + " Hz within "
                    + SipTrace.format(timeout) + ": " + analyseTone(hz, DEFAULT_WINDOW) + "; " + audioStats());
        }
    }

    /** Closes the RTP socket; the received audio stays readable. */
    void releaseMedia() {
        rtp.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
