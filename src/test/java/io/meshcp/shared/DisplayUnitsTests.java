package io.meshcp.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Locale;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.i18n.LocaleContextHolder;

class DisplayUnitsTests {

    final DisplayUnits units = new DisplayUnits();

    @AfterEach
    void resetLocale() {
        LocaleContextHolder.resetLocaleContext();
    }

    @Test
    void bytesScaleInPowersOfAThousandAsCdnsBill() {
        LocaleContextHolder.setLocale(Locale.US);
        assertThat(units.bytes(0)).isEqualTo("0 B");
        assertThat(units.bytes(999)).isEqualTo("999 B");
        assertThat(units.bytes(1_500)).isEqualTo("1.5 kB");
        assertThat(units.bytes(5_000_000_000L)).isEqualTo("5 GB");
        assertThat(units.bytes(21_130_000_000L)).isEqualTo("21.1 GB");
        assertThat(units.bytes(1_934_000_000_000L)).isEqualTo("1.93 TB");
        assertThat(units.bytes(812_000_000_000_000L)).isEqualTo("812 TB");
    }

    @Test
    void moneyIsInTheOrganisationsCurrencyAndTheViewersLocale() {
        LocaleContextHolder.setLocale(Locale.US);
        assertThat(units.money(new BigDecimal("38.0312"), "USD")).isEqualTo("$38.03");
        assertThat(units.money(new BigDecimal("0.1"), "EUR")).isEqualTo("€0.10");
        assertThat(units.money(new BigDecimal("1234"), "JPY")).isEqualTo("¥1,234");
        LocaleContextHolder.setLocale(Locale.GERMANY);
        assertThat(units.money(new BigDecimal("0.1"), "EUR")).isEqualTo("0,10\u00a0€");
        assertThat(units.money(null, "EUR")).isEqualTo("–");
    }

    @Test
    void viewersAreWholePeopleAndChangesReadAsPeopleSayThem() {
        LocaleContextHolder.setLocale(Locale.US);
        assertThat(units.viewers(287.6)).isEqualTo("288");
        assertThat(units.viewers(1234.4)).isEqualTo("1,234");
        assertThat(units.viewers(null)).isEqualTo("–");
        assertThat(units.change(120, 100)).isEqualTo("+20 %");
        assertThat(units.change(50, 100)).isEqualTo("−50 %");
        assertThat(units.change(100, 100)).isEqualTo("no change");
        assertThat(units.change(5, 0)).isEqualTo("new");
        assertThat(units.change(1_206_408, 100)).isEqualTo("×12,064");
        assertThat(units.pointsChange(0.548, 0.235)).isEqualTo("+31.3 points");
        assertThat(units.period(24)).isEqualTo("24 hours");
        assertThat(units.period(168)).isEqualTo("7 days");
    }
}
