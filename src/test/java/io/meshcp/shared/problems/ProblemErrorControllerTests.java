package io.meshcp.shared.problems;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import io.meshcp.shared.DatabaseAvailability;
import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.autoconfigure.web.WebProperties;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorViewResolver;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * The error page's answer for what a servlet filter threw (the container's error dispatch, as the embedded server
 * makes it): a filter's "retry later" keeps its status and Retry-After instead of becoming a 500.
 */
class ProblemErrorControllerTests {

    final ProblemErrorController controller = new ProblemErrorController(new DefaultErrorAttributes(),
            new WebProperties(), new StaticListableBeanFactory().getBeanProvider(ErrorViewResolver.class),
            new DatabaseAvailability());

    @Test
    void aFiltersRetryLaterKeepsItsStatusAndRetryAfter() {
        ResponseEntity<Map<String, Object>> unavailable = controller.error(dispatched(
                RetryLaterException.unavailable(Duration.ofMillis(1500), "The database cannot be reached.")));
        ResponseEntity<Map<String, Object>> overRate = controller.error(dispatched(new IllegalStateException("wrapped",
                RetryLaterException.tooManyRequests(Duration.ofSeconds(7), "Too many requests."))));

        assertThat(unavailable.getStatusCode().value()).isEqualTo(503);
        assertThat(unavailable.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
        assertThat(unavailable.getBody()).containsEntry("detail", "The database cannot be reached.")
                .containsEntry("type", ProblemType.UNAVAILABLE.uri().toString())
                .containsEntry("instance", "/v1/client-config");
        assertThat(overRate.getStatusCode().value()).isEqualTo(429);
        assertThat(overRate.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("7");
    }

    @Test
    void anythingElseAFilterThrowsIsA500WithoutRetryAfter() {
        ResponseEntity<Map<String, Object>> failed = controller.error(dispatched(new IllegalStateException("bug")));

        assertThat(failed.getStatusCode().value()).isEqualTo(500);
        assertThat(failed.getHeaders().containsHeader(HttpHeaders.RETRY_AFTER)).isFalse();
    }

    private static MockHttpServletRequest dispatched(Throwable error) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/error");
        request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, error);
        request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, 500);
        request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, "/v1/client-config");
        return request;
    }
}
