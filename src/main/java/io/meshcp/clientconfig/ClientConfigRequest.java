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
 * What a player asks client-config with, bound from the query parameters and validated: the stream's external id,
 * the rendition it plays, its session (null: client-config draws one) and what it says about itself. Every bad
 * parameter is named in one answer. Absent device, network and NAT type are read as a desktop on an unknown network
 * behind an unknown NAT.
 */
record ClientConfigRequest(
        @NotNull(message = "is required: the stream's external id")
        @Pattern(regexp = "[A-Za-z0-9_.:-]{1,128}", message = "is required: the stream's external id") String stream,
        @Pattern(regexp = "[A-Za-z0-9_.-]{1,64}", message = "must be 1 to 64 of [A-Za-z0-9_.-]") String rendition,
        @OneOfCodes(DeviceClass.class) String device, @OneOfCodes(Network.class) String network,
        @DecimalMin(value = "0", message = "must be between 0 and 1")
        @DecimalMax(value = "1", message = "must be between 0 and 1") Double battery,
        // Not a Boolean: Spring would also take yes, on and 1.
        @Pattern(regexp = "true|false", message = "must be true or false") String charging,
        @OneOfCodes(NatType.class) String nat,
        @Pattern(regexp = "[A-Za-z0-9_-]{8,128}", message = "must be 8 to 128 of [A-Za-z0-9_-]") String session) {

    /** What the player told about itself, with the defaults for what it did not. */
    PlayerContext player() {
        return new PlayerContext(WireCode.parse(DeviceClass.class, device).orElse(DeviceClass.DESKTOP),
                WireCode.parse(Network.class, network).orElse(Network.UNKNOWN), battery,
                charging == null ? null : Boolean.valueOf(charging),
                WireCode.parse(NatType.class, nat).orElse(NatType.UNKNOWN));
    }
}
