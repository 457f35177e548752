package io.meshcp.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LoginThrottledExceptionTests {

    @Test
    void theWaitShownIsWholeSecondsRoundedUpAndNeverZero() {
        assertThat(new LoginThrottledException(Duration.ZERO).retryAfterSeconds()).isEqualTo(1);
        assertThat(new LoginThrottledException(Duration.ofMillis(400)).retryAfterSeconds()).isEqualTo(1);
        assertThat(new LoginThrottledException(Duration.ofMillis(1001)).retryAfterSeconds()).isEqualTo(2);
        assertThat(new LoginThrottledException(Duration.ofSeconds(30)).retryAfterSeconds()).isEqualTo(30);
        assertThat(new LoginThrottledException(Duration.ofMillis(400)).getMessage()).contains("retry in 1s");
    }
}
