package io.meshcp.clientconfig;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.meshcp.player.DeviceClass;
import io.meshcp.player.NatType;
import io.meshcp.player.Network;
import io.meshcp.player.WireCode;
import io.meshcp.shared.problems.FieldError;
import io.meshcp.shared.problems.InvalidInputException;

/**
 * What a player asks client-config with, checked: the stream's external id, the rendition it plays, its session
 * (null: client-config draws one) and what it says about itself. Every bad parameter is named in one answer.
 *
 * <p>Checked by hand, not by Bean Validation as the dashboard's and the API's inputs are: client-config is the player
 * hot path, and validating this record through Hibernate Validator on every request cost about a tenth of its
 * throughput, binding it through Spring two thirds (docs/benchmarks.md, "Client-config's parameters: checked by
 * hand").
 */
record ClientConfigRequest(String stream, String rendition, String session, PlayerContext player) {

    private static final Pattern STREAM_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9_-]{8,128}");

    /** The request the query parameters make, or every reason they do not. */
    static ClientConfigRequest parse(String stream, String rendition, String device, String network, String battery,
            String charging, String nat, String session) {
        List<FieldError> errors = new ArrayList<>();
        if (stream == null || !STREAM_ID.matcher(stream).matches()) {
            errors.add(new FieldError("stream", "is required: the stream's external id"));
        }
        if (rendition != null && !rendition.matches("[A-Za-z0-9_.-]{1,64}")) {
            errors.add(new FieldError("rendition", "must be 1 to 64 of [A-Za-z0-9_.-]"));
        }
        DeviceClass deviceClass = code(device, DeviceClass.class, DeviceClass.DESKTOP, "device", errors);
        Network networkType = code(network, Network.class, Network.UNKNOWN, "network", errors);
        Double level = null;
        if (battery != null) {
            try {
                level = Double.valueOf(battery);
                if (level.isNaN() || level < 0 || level > 1) {
                    errors.add(new FieldError("battery", "must be between 0 and 1"));
                }
            }
            catch (NumberFormatException e) {
                errors.add(new FieldError("battery", "must be a number between 0 and 1"));
            }
        }
        Boolean isCharging = null;
        if (charging != null) {
            if (charging.equals("true") || charging.equals("false")) {
                isCharging = Boolean.valueOf(charging);
            }
            else {
                errors.add(new FieldError("charging", "must be true or false"));
            }
        }
        NatType natType = code(nat, NatType.class, NatType.UNKNOWN, "nat", errors);
        if (session != null && !SESSION.matcher(session).matches()) {
            errors.add(new FieldError("session", "must be 8 to 128 of [A-Za-z0-9_-]"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new ClientConfigRequest(stream, rendition, session,
                new PlayerContext(deviceClass, networkType, level, isCharging, natType));
    }

    /** The value a parameter names, its default when absent, or null with an error naming the codes it may be. */
    private static <E extends Enum<E> & WireCode> E code(String parameter, Class<E> type, E absent, String name,
            List<FieldError> errors) {
        if (parameter == null) {
            return absent;
        }
        return WireCode.parse(type, parameter).orElseGet(() -> {
            errors.add(new FieldError(name, WireCode.mustBeOneOf(type)));
            return null;
        });
    }
}
