package io.meshcp.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;

/**
 * The whole application on a random port against the real test database. Every test class with this
 * annotation shares one application context, so keep extra configuration off it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"meshcp.embedded-postgres.enabled=false", "meshcp.api-keys.last-used-flush-interval=200ms"})
@AutoConfigureMockMvc
@Import({TestDatabaseConfiguration.class, Fixtures.class})
public @interface IntegrationTest {
}
