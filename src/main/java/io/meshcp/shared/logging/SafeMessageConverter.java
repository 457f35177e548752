package io.meshcp.shared.logging;

import java.util.List;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.meshcp.shared.LogSafe;
import org.slf4j.Marker;

/** {@code %m}, {@code %msg} and {@code %message}: the message on its one line, redacted unless shown once. */
public class SafeMessageConverter extends MessageConverter {

    private static final String FAILURE_REPORT = "org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter";

    @Override
    public String convert(ILoggingEvent event) {
        String message = super.convert(event);
        if (message == null) {
            return null;
        }
        String redacted = isShownOnce(event) ? message : LogSafe.redact(message);
        // Spring Boot's "APPLICATION FAILED TO START" report is the operator's to read, laid out over lines, and
        // written before any request is taken, so nobody outside can have put a line break in it.
        return FAILURE_REPORT.equals(event.getLoggerName()) ? redacted : LogSafe.escape(redacted);
    }

    static boolean isShownOnce(ILoggingEvent event) {
        List<Marker> markers = event.getMarkerList();
        return markers != null && markers.contains(LogSafe.SHOWN_ONCE);
    }
}
