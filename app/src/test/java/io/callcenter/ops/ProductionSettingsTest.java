package io.callcenter.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ProductionSettingsTest {

    @TempDir
    Path dir;

    private MockEnvironment complete() throws IOException {
        Path certificate = Files.writeString(dir.resolve("cert.pem"), "certificate");
        Path key = Files.writeString(dir.resolve("key.pem"), "key");
        return new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://db.internal:5432/callcenter")
                .withProperty("spring.datasource.password", "secret")
                .withProperty("callcenter.ari.url", "http://127.0.0.1:8088/")
                .withProperty("callcenter.ari.password", "ari-secret")
                .withProperty("callcenter.auth.jwt-secret", "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI=")
                .withProperty("callcenter.calls.recording-retention", "90d")
                .withProperty("server.ssl.certificate", certificate.toString())
                .withProperty("server.ssl.certificate-private-key", key.toString())
                .withProperty("callcenter.softphone.ws-url", "wss://pbx.example.com:8089/ws")
                .withProperty("callcenter.softphone.sip-domain", "pbx.example.com")
                .withProperty("callcenter.demo.enabled", "false");
    }

    @Test
    void complete_settings_start() throws IOException {
        assertThat(ProductionSettings.problems(complete())).isEmpty();
    }

    @Test
    void nothing_set_names_every_variable_to_set() {
        assertThat(String.join("\n", ProductionSettings.problems(new MockEnvironment())))
                .contains("CALLCENTER_DB_URL", "CALLCENTER_DB_PASSWORD", "CALLCENTER_ARI_URL", "CALLCENTER_ARI_PASSWORD",
                        "CALLCENTER_AUTH_JWT_SECRET", "CALLCENTER_RECORDING_RETENTION", "CALLCENTER_TLS_CERTIFICATE",
                        "CALLCENTER_TLS_PRIVATE_KEY", "CALLCENTER_SOFTPHONE_WS_URL", "CALLCENTER_SOFTPHONE_SIP_DOMAIN");
    }

    @Test
    void a_blank_password_is_missing() throws IOException {
        assertThat(ProductionSettings.problems(complete().withProperty("spring.datasource.password", "  ")))
                .singleElement().asString().startsWith("CALLCENTER_DB_PASSWORD");
    }

    @Test
    void demo_data_is_refused() throws IOException {
        assertThat(ProductionSettings.problems(complete().withProperty("callcenter.demo.enabled", "true")))
                .singleElement().asString().contains("demo");
    }

    @Test
    void an_unsecured_softphone_websocket_is_refused() throws IOException {
        assertThat(ProductionSettings.problems(complete().withProperty("callcenter.softphone.ws-url", "ws://127.0.0.1:8088/ws")))
                .singleElement().asString().startsWith("CALLCENTER_SOFTPHONE_WS_URL").contains("ws://127.0.0.1:8088/ws");
    }

    @Test
    void a_certificate_that_is_not_there_is_refused() throws IOException {
        assertThat(ProductionSettings.problems(complete().withProperty("server.ssl.certificate", dir.resolve("gone.pem").toString())))
                .singleElement().asString().startsWith("CALLCENTER_TLS_CERTIFICATE").contains("not a readable file");
    }

    @Test
    void tls_may_be_left_to_a_proxy_when_said_so() throws IOException {
        MockEnvironment behindProxy = complete().withProperty("server.ssl.enabled", "false");
        behindProxy.setProperty("server.ssl.certificate", "");
        behindProxy.setProperty("server.ssl.certificate-private-key", "");
        assertThat(ProductionSettings.problems(behindProxy)).isEmpty();
    }

    @Test
    void the_dialer_with_an_api_key_needs_telnyx_to_reach_us() throws IOException {
        assertThat(String.join("\n", ProductionSettings.problems(complete()
                .withProperty("callcenter.telnyx.api-key", "KEY")
                .withProperty("callcenter.telnyx.sip-host", "127.0.0.1"))))
                .contains("CALLCENTER_TELNYX_CONNECTION_ID", "CALLCENTER_TELNYX_PUBLIC_KEY",
                        "CALLCENTER_TELNYX_WEBHOOK_URL", "CALLCENTER_TELNYX_SIP_HOST");
    }
}
