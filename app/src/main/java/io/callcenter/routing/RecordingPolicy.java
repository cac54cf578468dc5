package io.callcenter.routing;

/**
 * Whether a team's calls are recorded, and what every party hears first ({@code announcement}, an Asterisk media
 * URI such as {@code sound:conf-now-recording}).
 */
public record RecordingPolicy(boolean record, String announcement) {

    public static final RecordingPolicy NONE = new RecordingPolicy(false, null);
}
