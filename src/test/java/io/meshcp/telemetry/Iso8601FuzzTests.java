package io.meshcp.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The hand-written fast path for heartbeat timestamps reads exactly what {@link Instant#parse} reads, to the same
 * instant, for any text; and what it writes back reads as the same instant to the millisecond. The seeds are what
 * players send (JavaScript's toISOString) and the corners of the format.
 */
class Iso8601FuzzTests {

    @FuzzTest
    void readsWhatInstantParseReadsAndWritesItBack(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Instant expected;
        try {
            expected = Instant.parse(text);
        }
        catch (DateTimeParseException e) {
            expected = null;
        }

        Instant parsed = Iso8601.parseInstant(text);

        assertThat(parsed).as(text).isEqualTo(expected);
        if (parsed != null && parsed.atZone(ZoneOffset.UTC).getYear() >= 0
                && parsed.atZone(ZoneOffset.UTC).getYear() <= 9999) {
            String written = Iso8601.appendUtcMillis(new StringBuilder(), parsed).toString();
            assertThat(Iso8601.parseInstant(written)).as(written).isEqualTo(parsed.truncatedTo(ChronoUnit.MILLIS));
        }
    }
}
