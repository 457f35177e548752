package io.meshcp.accounts;

import java.time.Duration;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Account settings.
 *
 * @param signUpsPerNetwork sign-up attempts one client network (the /24 of IPv4, the /48 of IPv6, as the audit log
 * keeps them) may make per {@code signUpWindow}, across every node when Redis is configured: enough for a team
 * creating organisations from one office, few enough that probing addresses or filling the database is slow
 * @param signUpWindow the period over which {@code signUpsPerNetwork} attempts refill
 */
@Validated
@ConfigurationProperties("meshcp.accounts")
record AccountsProperties(@DefaultValue("20") @Positive int signUpsPerNetwork,
        @DefaultValue("1h") Duration signUpWindow) {
}
