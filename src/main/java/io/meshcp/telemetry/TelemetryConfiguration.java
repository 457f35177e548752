package io.meshcp.telemetry;

import io.meshcp.shared.http.RequestBodyLimit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TelemetryConfiguration {

    /** A batch of heartbeats is larger than the API's bodies: telemetry's own limit applies to its endpoint. */
    @Bean
    RequestBodyLimit telemetryBodyLimit(TelemetryProperties properties) {
        return new RequestBodyLimit(TelemetryController.PATH, properties.maxBodyBytes());
    }
}
