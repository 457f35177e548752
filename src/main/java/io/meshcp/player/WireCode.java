package io.meshcp.player;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A value of the player vocabulary with the code players send and receive: the constant's name in lower case
 * with hyphens ({@code PORT_RESTRICTED} is {@code port-restricted}) unless the enum says otherwise.
 */
public interface WireCode {

    /** Implemented by every enum constant. */
    String name();

    /** The code players send and receive for this value. */
    default String code() {
        return WireCodes.of(getDeclaringClass()).codeByValue.get(this);
    }

    /** Implemented by every enum constant: the enum the value belongs to. */
    Class<?> getDeclaringClass();

    /** The code as the enum defines it, read once per value ({@link WireCodes}); override to choose another. */
    default String derivedCode() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The value whose code this is. */
    @SuppressWarnings("unchecked")
    static <E extends Enum<E> & WireCode> Optional<E> parse(Class<E> type, String code) {
        return code == null ? Optional.empty() : Optional.ofNullable((E) WireCodes.of(type).valueByCode.get(code));
    }

    /** Every code of the enum, in declaration order. */
    static <E extends Enum<E> & WireCode> List<String> codes(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(WireCode::code).toList();
    }

    /** "must be a, b or c": the message a refused code gets. */
    static <E extends Enum<E> & WireCode> String mustBeOneOf(Class<E> type) {
        List<String> codes = codes(type);
        return "must be " + (codes.size() == 1 ? codes.getFirst()
                : String.join(", ", codes.subList(0, codes.size() - 1)) + " or " + codes.getLast());
    }
}
