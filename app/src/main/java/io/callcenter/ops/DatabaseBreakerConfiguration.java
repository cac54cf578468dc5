package io.callcenter.ops;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;

/**
 * Puts every user of the database (jOOQ, transactions, Flyway, health) behind one {@link DatabaseBreaker}.
 * {@code callcenter.db.fail-fast-for: 0s} leaves the pool bare (each caller waits its own connection timeout),
 * which is how DatabaseOutageIT's figures without the breaker were taken.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseBreakerConfiguration {

    @Bean
    static BeanPostProcessor failFastDataSource(
            @Value("${callcenter.db.fail-fast-for:2s}") Duration openFor) {
        DatabaseBreaker breaker = new DatabaseBreaker(Clock.systemUTC(), openFor);
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                return bean instanceof DataSource pool && !(bean instanceof FailFastDataSource) && !openFor.isZero()
                        ? new FailFastDataSource(pool, breaker) : bean;
            }
        };
    }

    /** Ahead of Spring Security's filters (-100), so the token check's database read is covered too. */
    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<DatabaseBusyAnswer> databaseBusyAnswer() {
        var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(new DatabaseBusyAnswer());
        registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
