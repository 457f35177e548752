package io.meshcp.shared.logging;

import java.nio.charset.Charset;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import org.springframework.boot.logging.logback.StructuredLogEncoder;

/**
 * The encoder of {@code logback-spring.xml}'s appenders: Spring Boot's pattern encoder (that file registers this
 * package's converters for its {@code %m} and {@code %wEx}) or, when a structured format is set, Boot's structured
 * encoder. Logback allows no condition inside an appender, so the encoder chooses. For the structured formats it
 * tells {@link RedactingJsonMembers} when the event being written is {@link io.meshcp.shared.LogSafe#SHOWN_ONCE
 * shown once}: Boot's JSON writer hands that value processor a value, not the event.
 */
public class SafeEncoder extends EncoderBase<ILoggingEvent> {

    private static final ThreadLocal<Boolean> WRITING_SHOWN_ONCE = new ThreadLocal<>();

    private String pattern;

    private String structuredFormat;

    private Charset charset;

    private Encoder<ILoggingEvent> encoder;

    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    public void setStructuredFormat(String structuredFormat) {
        this.structuredFormat = structuredFormat;
    }

    public void setCharset(Charset charset) {
        this.charset = charset;
    }

    @Override
    public void start() {
        encoder = structuredFormat == null || structuredFormat.isBlank() ? patternEncoder() : structuredEncoder();
        encoder.start();
        super.start();
    }

    private Encoder<ILoggingEvent> patternEncoder() {
        PatternLayoutEncoder patternEncoder = new PatternLayoutEncoder();
        patternEncoder.setContext(getContext());
        patternEncoder.setPattern(pattern);
        patternEncoder.setCharset(charset);
        return patternEncoder;
    }

    private Encoder<ILoggingEvent> structuredEncoder() {
        StructuredLogEncoder structuredEncoder = new StructuredLogEncoder() {

            @Override
            public byte[] encode(ILoggingEvent event) {
                if (!SafeMessageConverter.isShownOnce(event)) {
                    return super.encode(event);
                }
                WRITING_SHOWN_ONCE.set(Boolean.TRUE);
                try {
                    return super.encode(event);
                }
                finally {
                    WRITING_SHOWN_ONCE.remove();
                }
            }
        };
        structuredEncoder.setContext(getContext());
        structuredEncoder.setFormat(structuredFormat);
        structuredEncoder.setCharset(charset);
        return structuredEncoder;
    }

    static boolean writingShownOnce() {
        return WRITING_SHOWN_ONCE.get() != null;
    }

    @Override
    public byte[] headerBytes() {
        return encoder.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return encoder.encode(event);
    }

    @Override
    public byte[] footerBytes() {
        return encoder.footerBytes();
    }

    @Override
    public void stop() {
        encoder.stop();
        super.stop();
    }
}
