package io.meshcp.accounts;

import java.math.BigDecimal;
import java.util.List;

import io.meshcp.shared.problems.TextLength;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;

/**
 * What an admin can change of the organisation.
 *
 * @param currency the ISO 4217 code of the CDN price's currency, such as USD or EUR
 * @param telemetryRetentionDays how long raw telemetry events are kept: 7, 30, 90 or 365 days (the sums
 * behind analytics are kept longer, see docs/telemetry.md)
 */
public record TenantSettings(@TextLength(max = 100) String name,
        @NotNull(message = PRICE_RANGE) @DecimalMin(value = "0", message = PRICE_RANGE)
        @DecimalMax(value = "1000", message = PRICE_RANGE) BigDecimal cdnPricePerGb,
        @CurrencyCode String currency, List<String> defaultAllowedOrigins, int telemetryRetentionDays) {

    private static final String PRICE_RANGE = "must be between 0 and 1000";

    public static final List<Integer> RETENTION_CHOICES = List.of(7, 30, 90, 365);

    /** The currencies the settings page offers first; any ISO 4217 code is accepted. */
    public static final List<String> COMMON_CURRENCIES = List.of("USD", "EUR", "GBP", "JPY", "CAD", "AUD", "CHF",
            "SEK", "NOK", "DKK", "PLN", "BRL", "MXN", "INR", "CNY", "KRW", "SGD", "ZAR");
}
