package io.meshcp.accounts;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "tenants")
class Tenant {

    @Id
    private UUID id;

    private String name;

    private BigDecimal cdnPricePerGb;

    private String currency;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private List<String> defaultAllowedOrigins = new ArrayList<>();

    private short telemetryRetentionDays;

    private Instant createdAt;

    protected Tenant() {
    }

    Tenant(String name, Instant createdAt) {
        this.id = UUID.randomUUID();
        this.name = name;
        this.cdnPricePerGb = new BigDecimal("0.02");
        this.currency = "USD";
        this.telemetryRetentionDays = 30;
        this.createdAt = createdAt;
    }

    UUID id() {
        return id;
    }

    String name() {
        return name;
    }

    void update(String name, BigDecimal cdnPricePerGb, String currency, List<String> defaultAllowedOrigins,
            int telemetryRetentionDays) {
        this.name = name;
        this.cdnPricePerGb = cdnPricePerGb;
        this.currency = currency;
        this.defaultAllowedOrigins = new ArrayList<>(defaultAllowedOrigins);
        this.telemetryRetentionDays = (short) telemetryRetentionDays;
    }

    TenantView view() {
        return new TenantView(id, name, cdnPricePerGb, currency, List.copyOf(defaultAllowedOrigins),
                telemetryRetentionDays, createdAt);
    }
}
