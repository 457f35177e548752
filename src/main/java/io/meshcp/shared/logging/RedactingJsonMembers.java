package io.meshcp.shared.logging;

import io.meshcp.shared.LogSafe;
import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.json.JsonWriter.ValueProcessor;
import org.springframework.boot.logging.structured.StructuredLoggingJsonMembersCustomizer;

/**
 * Redacts every string that Spring Boot's structured formats ({@code ecs}, {@code logstash}, {@code gelf}) write: the
 * message, the exception's message and stack trace, MDC values and key-value pairs. JSON escapes line breaks itself.
 * Registered in {@code META-INF/spring.factories}, so it applies to every structured format and encoder.
 */
class RedactingJsonMembers implements StructuredLoggingJsonMembersCustomizer<Object> {

    @Override
    public void customize(JsonWriter.Members<Object> members) {
        members.applyingValueProcessor(ValueProcessor.of(String.class, RedactingJsonMembers::redact));
    }

    private static String redact(String value) {
        return value == null || SafeEncoder.writingShownOnce() ? value : LogSafe.redact(value);
    }
}
