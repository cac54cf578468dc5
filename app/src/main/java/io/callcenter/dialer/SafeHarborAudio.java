package io.callcenter.dialer;

import io.callcenter.web.WavAudio;

import java.util.Optional;

/**
 * The uploaded recording of a campaign's safe-harbor message, as Asterisk plays it without transcoding on a
 * telephone call ({@link WavAudio}), at most a minute.
 */
final class SafeHarborAudio {

    static final int SAMPLE_RATE = WavAudio.SAMPLE_RATE;
    static final int MAX_SECONDS = 60;
    /** Shorter cannot hold a seller's name, a number and an opt-out. */
    static final double MIN_SECONDS = 3;

    private SafeHarborAudio() {
    }

    /** Why the bytes are not such a recording; empty when they are. */
    static Optional<String> problem(byte[] wav) {
        return WavAudio.problem(wav, MIN_SECONDS, MAX_SECONDS);
    }
}
