package io.meshcp.shared.logging;

import java.util.Arrays;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import io.meshcp.shared.LogSafe;

/** A logged exception as it is, but for its messages, which are escaped and redacted. */
record SafeThrowableProxy(IThrowableProxy throwable) implements IThrowableProxy {

    @Override
    public String getMessage() {
        return safe(throwable.getMessage());
    }

    /** The exception's own {@code toString()} when it differs from "class: message". */
    @Override
    public String getOverridingMessage() {
        return safe(throwable.getOverridingMessage());
    }

    @Override
    public String getClassName() {
        return throwable.getClassName();
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
        return throwable.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
        return throwable.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
        return throwable.getCause() == null ? null : new SafeThrowableProxy(throwable.getCause());
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
        IThrowableProxy[] suppressed = throwable.getSuppressed();
        return suppressed == null ? null
                : Arrays.stream(suppressed).map(SafeThrowableProxy::new).toArray(IThrowableProxy[]::new);
    }

    @Override
    public boolean isCyclic() {
        return throwable.isCyclic();
    }

    private static String safe(String message) {
        return message == null ? null : LogSafe.escape(LogSafe.redact(message));
    }
}
