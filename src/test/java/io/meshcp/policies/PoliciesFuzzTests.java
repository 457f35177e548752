package io.meshcp.policies;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshcp.player.DeviceClass;
import io.meshcp.shared.problems.FieldError;
import io.meshcp.shared.problems.InvalidInputException;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.mock.http.MockHttpInputMessage;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Whatever body a client PUTs as a policy (tenant default or stream override), reading it fails only as the API's
 * 400s do (unreadable JSON of the wrong shape, or fields out of range, each named); and a policy that passes is
 * stored and read back unchanged, and resolves at either level to a complete policy within every documented range.
 * The body is read by the converter Spring MVC reads it with, so the application's Jackson settings apply (unknown
 * fields are errors). The seeds are policies from the API documentation and tests, and near misses.
 */
@IntegrationTest
class PoliciesFuzzTests {

    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    static final List<String> FIELD_NAMES = Arrays.stream(PolicyField.values()).map(PolicyField::jsonName).toList();

    @Autowired
    RequestMappingHandlerAdapter mvc;

    @Autowired
    PolicyCodec codec;

    JacksonJsonHttpMessageConverter converter;

    @BeforeEach
    void theConverterMvcReadsJsonWith() {
        converter = mvc.getMessageConverters().stream()
                .filter(JacksonJsonHttpMessageConverter.class::isInstance)
                .map(JacksonJsonHttpMessageConverter.class::cast)
                .findFirst().orElseThrow();
    }

    @FuzzTest
    void anyBodyIsAValidPolicyOrA400(byte[] body) throws Exception {
        MockHttpInputMessage request = new MockHttpInputMessage(body);
        request.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        Object read;
        try {
            read = converter.read(PolicyFields.class, request);
        }
        catch (HttpMessageNotReadableException e) {
            return;
        }
        // A body of JSON null is a missing body to @RequestBody: a 400 too.
        if (!(read instanceof PolicyFields fields)) {
            assertThat(read).isNull();
            return;
        }
        Map<PolicyField, Object> values;
        try {
            values = Policies.validate(fields);
        }
        catch (InvalidInputException e) {
            assertThat(e.errors()).isNotEmpty().extracting(FieldError::field).allMatch(FIELD_NAMES::contains);
            return;
        }

        assertThat(codec.read(codec.write(values))).as("stored and read back").isEqualTo(values);
        assertThat(PolicyFields.of(values).toMap()).isEqualTo(values);
        assertComplete(PolicyResolution.resolve(new PolicyResolution.TenantLevel(values, 1, false, 0), null, NOW));
        assertComplete(PolicyResolution.resolve(new PolicyResolution.TenantLevel(Map.of(), 0, false, 0),
                new PolicyResolution.StreamLevel(values, 1, false, 0, List.of()), NOW));
    }

    private static void assertComplete(EffectivePolicy policy) {
        Map<PolicyField, Object> effective = policy.values().toMap();
        assertThat(effective).hasSize(PolicyField.values().length);
        effective.forEach((field, value) -> assertThat(field.problem(value)).as(field.jsonName()).isNull());
        for (DeviceClass device : DeviceClass.values()) {
            assertThat(policy.maxPeersFor(device)).isBetween(0, 12);
        }
    }
}
