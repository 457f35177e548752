package io.meshcp.shared.logging;

import ch.qos.logback.classic.spi.IThrowableProxy;
import org.springframework.boot.logging.logback.ExtendedWhitespaceThrowableProxyConverter;

/**
 * Spring Boot's {@code %wEx} with every exception message in the trace (causes and suppressed exceptions too) escaped
 * and redacted: the frames are the code's own and keep their lines, but a message can repeat what a client sent.
 */
public class SafeThrowableConverter extends ExtendedWhitespaceThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy throwable) {
        return super.throwableProxyToString(new SafeThrowableProxy(throwable));
    }
}
