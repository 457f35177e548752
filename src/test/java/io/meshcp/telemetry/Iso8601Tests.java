package io.meshcp.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

class Iso8601Tests {

    @Test
    void readsEveryInstantAsInstantParseDoes() {
        List<String> samples = List.of("2026-11-25T10:00:00Z", "2026-11-25T10:00:00.1Z", "2026-11-25T10:00:00.123Z",
                "2026-11-25T10:00:00.123456789Z", "2024-02-29T23:59:59.999Z", "1970-01-01T00:00:00Z",
                "2026-11-25T10:00:00+01:00", "2026-11-25T10:00:00.5-05:30", "2016-12-31T23:59:60Z", "2026-11-25T24:00:00Z", "2026-11-25T10:00:00.Z");
        for (String text : samples) {
            assertThat(Iso8601.parseInstant(text)).as(text).isEqualTo(Instant.parse(text));
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 10_000; i++) {
            Instant instant = Instant.ofEpochMilli(random.nextLong(0, 4_102_444_800_000L))
                    .plusNanos(random.nextInt(1_000_000));
            assertThat(Iso8601.parseInstant(instant.toString())).isEqualTo(instant);
        }
    }

    @Test
    void writesInstantsToTheMillisecondAsInstantToStringWould() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 10_000; i++) {
            Instant instant = Instant.ofEpochMilli(random.nextLong(0, 253_402_300_799_000L));
            String text = Iso8601.appendUtcMillis(new StringBuilder(), instant.plusNanos(random.nextInt(1_000_000)))
                    .toString();
            assertThat(text).hasSize(24);
            assertThat(Instant.parse(text)).isEqualTo(instant);
        }
        assertThat(Iso8601.appendUtcMillis(new StringBuilder(), Instant.parse("2026-01-05T03:04:05Z")))
                .hasToString("2026-01-05T03:04:05.000Z");
    }

    @Test
    void refusesExactlyWhatInstantParseRefuses() {
        for (String text : List.of("", "2026-11-25", "2026-11-25T10:00:00", "2026-02-30T10:00:00Z",
                "2026-13-01T10:00:00Z", "2026-11-25T10:60:00Z", "2026-11-25T10:00:00.1234567890Z",
                "2026-11-25t10:00:00z", "2026-1a-25T10:00:00Z", "2026-11-25T10:00:00.12a4Z", "yesterday")) {
            Instant expected;
            try {
                expected = Instant.parse(text);
            }
            catch (DateTimeParseException e) {
                expected = null;
            }
            assertThat(Iso8601.parseInstant(text)).as(text).isEqualTo(expected);
        }
        assertThat(Iso8601.parseInstant("2026-02-30T10:00:00Z")).isNull();
        assertThat(Iso8601.parseInstant("yesterday")).isNull();
    }
}
