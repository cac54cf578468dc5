package io.callcenter.asterisk.ami;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The manager interface of each Asterisk node, used for MixMonitor only: on the ARI URL's host at {@code port}. The
 * password has no default: it comes from the environment ({@code CALLCENTER_AMI_PASSWORD}) or the file the Asterisk
 * start script generates; without one no call can be recorded (each call is flagged unrecorded).
 */
@ConfigurationProperties("callcenter.ami")
public record AmiProperties(Integer port, String username, String password, Duration timeout, String recordingDirectory) {

    public AmiProperties {
        if (port == null) {
            port = 5038;
        }
        if (username == null || username.isBlank()) {
            username = "callcenter";
        }
        if (timeout == null) {
            timeout = Duration.ofSeconds(5);
        }
        if (recordingDirectory == null || recordingDirectory.isBlank()) {
            // Where ARI's recordings go too (ast_config_AST_RECORDING_DIR), so the app finds MixMonitor's files there.
            recordingDirectory = "/var/spool/asterisk/recording";
        }
    }

    public boolean configured() {
        return password != null && !password.isBlank();
    }

    /** The recordings of the node whose ARI is on {@code host}. */
    public MixMonitors mixMonitors(String host) {
        return new MixMonitors(new AmiClient(AmiClient.tcp(host, port, timeout), username, password, timeout),
                recordingDirectory);
    }
}
