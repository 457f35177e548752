package io.meshcp.shared.problems;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/** Writes a problem detail from a servlet filter, where the MVC message converters are not in play. */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static void write(HttpServletResponse response, ProblemDetail problem, JsonMapper json) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(body(problem, json));
    }

    /**
     * A request a filter could not serve now (its key could not be looked up while the database is away, say):
     * 503 or 429 with Retry-After, as the endpoints answer, rather than an exception the container turns into a 500.
     */
    public static void writeRetryLater(HttpServletResponse response, RetryLaterException e, JsonMapper json)
            throws IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
        write(response, problem(e), json);
    }

    static ProblemDetail problem(RetryLaterException e) {
        return Problems.of(e.status(), ProblemType.forStatus(e.status().value()), e.getMessage());
    }

    /** The problem as the JSON body {@link #write} sends. */
    public static byte[] body(ProblemDetail problem, JsonMapper json) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        return json.writeValueAsBytes(body);
    }
}
