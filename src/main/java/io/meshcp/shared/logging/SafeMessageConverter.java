package io.meshcp.shared.logging;

import java.util.List;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.meshcp.shared.LogSafe;
import org.slf4j.Marker;

/** {@code %m}, {@code %msg} and {@code %message}: the message on its one line, redacted unless shown once. */
public class SafeMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        String message = super.convert(event);
        if (message == null) {
            return null;
        }
        return LogSafe.escape(isShownOnce(event) ? message : LogSafe.redact(message));
    }

    static boolean isShownOnce(ILoggingEvent event) {
        List<Marker> markers = event.getMarkerList();
        return markers != null && markers.contains(LogSafe.SHOWN_ONCE);
    }
}
