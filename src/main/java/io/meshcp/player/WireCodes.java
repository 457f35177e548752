package io.meshcp.player;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Each vocabulary enum's codes, worked out once: code by value and value by code. {@link WireCode} reads them, so
 * client-config's hot path neither lower-cases names nor scans values.
 */
final class WireCodes {

    private static final ClassValue<WireCodes> OF = new ClassValue<>() {
        @Override
        protected WireCodes computeValue(Class<?> type) {
            return new WireCodes(type);
        }
    };

    final Map<Object, String> codeByValue;

    final Map<String, Object> valueByCode;

    private WireCodes(Class<?> type) {
        this.codeByValue = Arrays.stream(type.getEnumConstants())
                .collect(Collectors.toUnmodifiableMap(Function.identity(), value -> ((WireCode) value).derivedCode()));
        this.valueByCode = codeByValue.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getValue, Map.Entry::getKey));
    }

    static WireCodes of(Class<?> type) {
        return OF.get(type);
    }
}
