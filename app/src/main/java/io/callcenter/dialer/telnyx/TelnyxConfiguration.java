package io.callcenter.dialer.telnyx;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TelnyxProperties.class)
class TelnyxConfiguration {

    @Bean
    WebhookSignature telnyxWebhookSignature(TelnyxProperties properties) {
        return new WebhookSignature(properties.publicKey(), properties.timestampTolerance());
    }

    @Bean
    TelnyxClient telnyxClient(TelnyxProperties properties) {
        return new TelnyxClient(properties, Duration.ofMillis(250), Clock.systemUTC());
    }
}
