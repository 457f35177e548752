package io.meshcp.shared.problems;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An error no handler expected, through {@link ApiExceptionHandler} as Spring MVC calls it (the application has no
 * endpoint that fails on purpose, so a controller here does): the client's 500 names a correlation id, and the log has
 * one line with that id and what the client sent made safe.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnexpectedErrorTests {

    static final JsonMapper JSON = JsonMapper.builder().build();

    final MockMvc mvc = MockMvcBuilders.standaloneSetup(new FailingController())
            .setControllerAdvice(new ApiExceptionHandler()).build();

    @Test
    void anUnexpectedErrorIsLoggedAsOneLineWithTheCorrelationIdOfItsAnswer(CapturedOutput output) throws Exception {
        String key = "mesh_sk_" + "Q".repeat(43);

        MockHttpServletResponse response = mvc.perform(get("/fail").param("reason", "x\r\nforged line, " + key))
                .andReturn().getResponse();

        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        JsonNode problem = JSON.readTree(response.getContentAsString());
        String correlationId = problem.get("correlationId").asString();
        assertThat(correlationId).isNotBlank();
        assertThat(problem.get("detail").asString()).contains(correlationId).doesNotContain("forged");
        List<String> lines = output.getOut().lines().filter(line -> line.contains("Unexpected error")).toList();
        assertThat(lines).singleElement().asString().endsWith("Unexpected error " + correlationId
                + " in GET /fail: java.lang.IllegalStateException: failed: x\\r\\nforged line, mesh_sk_QQQQ…");
    }

    @RestController
    static class FailingController {

        @GetMapping("/fail")
        String fail(@RequestParam String reason) {
            throw new IllegalStateException("failed: " + reason);
        }
    }
}
