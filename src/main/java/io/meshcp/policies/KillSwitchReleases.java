package io.meshcp.policies;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Releases kill switches engaged with a release time once it has come, within a few seconds of it. Every node runs
 * it; a switch is released (and audited) by whichever gets there first, the others find it gone.
 */
@Component
class KillSwitchReleases {

    private static final Logger log = LoggerFactory.getLogger(KillSwitchReleases.class);

    private final KillSwitchStore store;

    private final Policies policies;

    private final Clock clock;

    KillSwitchReleases(KillSwitchStore store, Policies policies, Clock clock) {
        this.store = store;
        this.policies = policies;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "PT5S", initialDelayString = "PT5S")
    void releaseDue() {
        for (KillSwitchStore.Due due : store.due(clock.instant())) {
            // One organisation's work at a time, each in its own scope and transaction.
            if (policies.releaseIfDue(due.tenantId(), due.streamId(), clock.instant())) {
                log.info("Kill switch of organisation {} ({}) released at its release time", due.tenantId(),
                        due.streamId() == null ? "every stream" : "stream " + due.streamId());
            }
        }
    }
}
