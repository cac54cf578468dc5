package io.callcenter.ops;

import io.callcenter.CallCenterApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real application started with the prod profile and nothing set stops before it makes a single bean (no
 * database nor Asterisk is needed to see it), and says what to set.
 */
class ProductionProfileStartTest {

    @Test
    void the_prod_profile_refuses_to_start_with_settings_missing() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(CallCenterApplication.class)
                .profiles("prod")
                // The machine's environment must not fill in what this test leaves out.
                .properties("spring.datasource.password=", "callcenter.ari.password=", "callcenter.auth.jwt-secret=",
                        "CALLCENTER_TLS_CERTIFICATE=", "CALLCENTER_RECORDING_RETENTION=")
                .run())
                .hasStackTraceContaining("The prod profile refuses to start; set:")
                .hasStackTraceContaining("CALLCENTER_DB_PASSWORD")
                .hasStackTraceContaining("CALLCENTER_AUTH_JWT_SECRET")
                .hasStackTraceContaining("CALLCENTER_TLS_CERTIFICATE");
    }
}
