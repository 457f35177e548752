package io.meshcp.player;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A value of the player vocabulary with the code players send and receive: the constant's name in lower case
 * with hyphens ({@code PORT_RESTRICTED} is {@code port-restricted}) unless the enum says otherwise.
 */
public interface WireCode {

    /** Implemented by every enum constant. */
    String name();

    default String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The value whose code this is, looked up in a map built once per enum. */
    static <E extends Enum<E> & WireCode> Optional<E> parse(Class<E> type, String code) {
        return code == null ? Optional.empty() : Optional.ofNullable(byCode(type).get(code));
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

    @SuppressWarnings("unchecked")
    private static <E extends Enum<E> & WireCode> Map<String, E> byCode(Class<E> type) {
        return (Map<String, E>) Lookup.BY_CODE.get(type);
    }

    /** Holds the per-enum maps (an interface cannot have private static fields). */
    final class Lookup {

        private static final ClassValue<Map<String, ?>> BY_CODE = new ClassValue<>() {
            @Override
            protected Map<String, ?> computeValue(Class<?> type) {
                return Arrays.stream(type.getEnumConstants()).map(WireCode.class::cast)
                        .collect(Collectors.toUnmodifiableMap(WireCode::code, Function.identity()));
            }
        };

        private Lookup() {
        }
    }
}
