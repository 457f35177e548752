package io.meshcp.policies;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.meshcp.player.DeviceClass;

/**
 * The policy in force for one stream at one moment: every field's value and the level it came from,
 * the live event whose window is open (if any), an engaged kill switch (if any), a version string
 * that changes whenever any of these does, and when a kill switch covering the stream was last engaged (epoch
 * milliseconds, 0: never), whether or not it still is: what was granted before then (signaling tokens) is void.
 */
public record EffectivePolicy(PolicyFields values, Map<String, PolicyLevel> sources, String version,
        ActiveLiveEvent liveEvent, KillSwitchScope killSwitch, long killSwitchEpoch) {

    public boolean killed() {
        return killSwitch != null;
    }

    public int maxPeersFor(DeviceClass device) {
        return switch (device) {
            case DESKTOP -> values.maxPeers().desktop();
            case MOBILE -> values.maxPeers().mobile();
            case TV -> values.maxPeers().tv();
        };
    }

    public record ActiveLiveEvent(UUID id, String name, Instant startsAt, Instant endsAt) {
    }
}
