package io.meshcp.shared;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.util.Currency;

import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * Numbers as the dashboard shows them, in templates as {@code ${@units.bytes(...)}}: byte counts in the unit that
 * suits them (kB to PB, powers of 1000 as CDNs bill), money in the organisation's currency in the viewer's locale,
 * viewers as whole people. The browser's scripts format the same way (analytics-common.js).
 */
@Component("units")
public class DisplayUnits {

    private static final String[] BYTE_UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};

    public String bytes(long bytes) {
        double value = bytes;
        int unit = 0;
        while (Math.abs(value) >= 1000 && unit < BYTE_UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        NumberFormat format = NumberFormat.getNumberInstance(LocaleContextHolder.getLocale());
        format.setMaximumFractionDigits(unit == 0 ? 0 : value < 10 ? 2 : value < 100 ? 1 : 0);
        format.setMinimumFractionDigits(0);
        return format.format(value) + " " + BYTE_UNITS[unit];
    }

    public String money(BigDecimal amount, String currency) {
        if (amount == null) {
            return "–";
        }
        NumberFormat format = NumberFormat.getCurrencyInstance(LocaleContextHolder.getLocale());
        Currency unit = Currency.getInstance(currency == null ? "USD" : currency);
        format.setCurrency(unit);
        // setCurrency keeps the locale's own currency's decimals: yen have none, dinars three.
        int digits = Math.max(0, unit.getDefaultFractionDigits());
        format.setMinimumFractionDigits(digits);
        format.setMaximumFractionDigits(digits);
        return format.format(amount);
    }

    /** Average concurrent viewers, rounded to whole people; a dash when nothing was watched. */
    public String viewers(Double viewers) {
        if (viewers == null) {
            return "–";
        }
        return NumberFormat.getIntegerInstance(LocaleContextHolder.getLocale()).format(Math.round(viewers));
    }

    /** A share (0..1) as a percentage with one decimal. */
    public String percent(Double share) {
        if (share == null) {
            return "–";
        }
        NumberFormat format = NumberFormat.getNumberInstance(LocaleContextHolder.getLocale());
        format.setMinimumFractionDigits(1);
        format.setMaximumFractionDigits(1);
        return format.format(share * 100) + " %";
    }

    /** How {@code now} compares with {@code before}: "+12 %", "−3 %", "no change", or "new" when before was 0. */
    public String change(Number now, Number before) {
        if (now == null || before == null) {
            return "";
        }
        double was = before.doubleValue();
        double is = now.doubleValue();
        if (was == 0) {
            return is == 0 ? "no change" : "new";
        }
        if (was > 0 && is / was >= 10) {
            // "+1206407 %" reads as noise: past ten times, say how many times.
            return "×" + NumberFormat.getIntegerInstance(LocaleContextHolder.getLocale()).format(Math.round(is / was));
        }
        long percent = Math.round((is - was) / Math.abs(was) * 100);
        return percent == 0 ? "no change" : (percent > 0 ? "+" : "−") + Math.abs(percent) + " %";
    }

    /** How a share (0..1) compares with an earlier one, in percentage points. */
    public String pointsChange(Double now, Double before) {
        if (now == null || before == null) {
            return "";
        }
        double points = (now - before) * 100;
        if (Math.abs(points) < 0.05) {
            return "no change";
        }
        NumberFormat format = NumberFormat.getNumberInstance(LocaleContextHolder.getLocale());
        format.setMinimumFractionDigits(1);
        format.setMaximumFractionDigits(1);
        return (points > 0 ? "+" : "−") + format.format(Math.abs(points)) + " points";
    }

    /** A period of the overview, in words. */
    public String period(int hours) {
        return hours % 24 == 0 && hours > 24 ? hours / 24 + " days" : hours + " hours";
    }
}
