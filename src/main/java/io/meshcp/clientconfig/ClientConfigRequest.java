package io.meshcp.clientconfig;

import io.meshcp.player.DeviceClass;
import io.meshcp.player.NatType;
import io.meshcp.player.Network;
import io.meshcp.player.OneOfCodes;
import io.meshcp.player.WireCode;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * What a player asks client-config with, checked by its constraints ({@code InputChecks}): the stream's external id,
 * the rendition it plays, its session (null: client-config draws one) and what it says about itself. Every bad
 * parameter is named in one answer. Absent device, network and NAT type are read as a desktop on an unknown network
 * behind an unknown NAT.
 *
 * <p>The controller builds it from its query parameters rather than have Spring bind it: binding a record through
 * its constructor reads the constructor's parameter annotations again on every request, which cut client-config's
 * throughput to a third (docs/benchmarks.md), while the validator reads them once per class.
 */
record ClientConfigRequest(
        @NotNull(message = "is required: the stream's external id")
        @Pattern(regexp = "[A-Za-z0-9_.:-]{1,128}", message = "is required: the stream's external id") String stream,
        @Pattern(regexp = "[A-Za-z0-9_.-]{1,64}", message = "must be 1 to 64 of [A-Za-z0-9_.-]") String rendition,
        @OneOfCodes(DeviceClass.class) String device, @OneOfCodes(Network.class) String network,
        @DecimalMin(value = "0", message = BATTERY) @DecimalMax(value = "1", message = BATTERY) Double battery,
        // Not a Boolean: Spring would also take yes, on and 1.
        @Pattern(regexp = "true|false", message = "must be true or false") String charging,
        @OneOfCodes(NatType.class) String nat,
        @Pattern(regexp = "[A-Za-z0-9_-]{8,128}", message = "must be 8 to 128 of [A-Za-z0-9_-]") String session) {

    private static final String BATTERY = "must be a number between 0 and 1";

    /** A number from a query parameter; one that does not parse is NaN, which no range admits. */
    static Double number(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Double.valueOf(text);
        }
        catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** What the player told about itself, with the defaults for what it did not. */
    PlayerContext player() {
        return new PlayerContext(WireCode.parse(DeviceClass.class, device).orElse(DeviceClass.DESKTOP),
                WireCode.parse(Network.class, network).orElse(Network.UNKNOWN), battery,
                charging == null ? null : Boolean.valueOf(charging),
                WireCode.parse(NatType.class, nat).orElse(NatType.UNKNOWN));
    }
}
