package io.meshcp.accounts;

import java.math.BigDecimal;
import java.util.List;

public record TenantSettings(String name, BigDecimal cdnPricePerGb, List<String> defaultAllowedOrigins) {
}
