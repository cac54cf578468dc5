package io.callcenter.ops;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;

import java.util.List;

/**
 * Refuses to start the {@code prod} profile with settings missing. A bean factory post-processor runs before any
 * bean is made, so the operator reads the list of what to set instead of a database or ARI connection error.
 */
@Configuration(proxyBeanMethods = false)
@Profile("prod")
class ProductionSettingsCheck {

    @Bean
    static BeanFactoryPostProcessor refuseMissingProductionSettings(Environment environment) {
        return beanFactory -> {
            List<String> problems = ProductionSettings.problems(environment);
            if (!problems.isEmpty()) {
                throw new IllegalStateException("The prod profile refuses to start; set:\n  - "
                        + String.join("\n  - ", problems));
            }
        };
    }
}
