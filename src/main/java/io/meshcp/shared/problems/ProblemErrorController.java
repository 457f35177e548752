package io.meshcp.shared.problems;

import java.util.LinkedHashMap;
import java.util.Map;

import io.meshcp.shared.DatabaseAvailability;
import io.meshcp.shared.caller.DashboardPage;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.web.WebProperties;
import org.springframework.boot.webmvc.autoconfigure.error.BasicErrorController;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorViewResolver;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.context.request.ServletWebRequest;

/**
 * Errors that never reach a controller (an unknown path, a wrong method, a body the container refused)
 * end here. Browsers keep the HTML error pages; every other client gets an RFC 9457 problem detail with
 * the same stable types as the API advice, instead of Spring Boot's own JSON shape.
 */
@Controller
@DashboardPage
@RequestMapping("${server.error.path:${error.path:/error}}")
class ProblemErrorController extends BasicErrorController {

    private final ErrorAttributes errorAttributes;

    private final DatabaseAvailability availability;

    ProblemErrorController(ErrorAttributes errorAttributes, WebProperties web,
            ObjectProvider<ErrorViewResolver> resolvers, DatabaseAvailability availability) {
        super(errorAttributes, web.getError(), resolvers.orderedStream().toList());
        this.errorAttributes = errorAttributes;
        this.availability = availability;
    }

    /**
     * A filter that refused the request for now ({@link RetryLaterException}) answers its 429 or 503 with
     * Retry-After. A page or filter that failed because the database cannot be reached answers 503 (error/503.html for browsers),
     * not 500, and tells the dashboard's outage filter to answer at once until the database is back. A form that held
     * text the database cannot store ({@link UnstorableText}) answers 400 (error/400.html).
     */
    @Override
    protected HttpStatus getStatus(HttpServletRequest request) {
        Throwable error = errorAttributes.getError(new ServletWebRequest(request));
        RetryLaterException retry = retryLater(error);
        if (retry != null) {
            return retry.status();
        }
        if (error != null && DatabaseAvailability.isConnectionFailure(error)) {
            availability.failed(error);
            return HttpStatus.SERVICE_UNAVAILABLE;
        }
        if (error != null && UnstorableText.causes(error)) {
            return HttpStatus.BAD_REQUEST;
        }
        return super.getStatus(request);
    }

    @Override
    @RequestMapping
    public ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
        HttpStatus status = getStatus(request);
        if (status == HttpStatus.NO_CONTENT) {
            return new ResponseEntity<>(status);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", ProblemType.forStatus(status.value()).uri().toString());
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        Throwable error = errorAttributes.getError(new ServletWebRequest(request));
        RetryLaterException retry = retryLater(error);
        body.put("detail", retry != null ? retry.getMessage() : error != null && UnstorableText.causes(error)
                ? "The request holds text that cannot be stored, such as a NUL character." : detail(status));
        Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (path != null) {
            body.put("instance", path.toString());
        }
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (retry != null) {
            answer.header(HttpHeaders.RETRY_AFTER, Long.toString(retry.retryAfterSeconds()));
        }
        return answer.body(body);
    }

    /** The request was refused for now (429 or 503) by a filter, which threw rather than answered. */
    private static RetryLaterException retryLater(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof RetryLaterException retry) {
                return retry;
            }
        }
        return null;
    }

    private static String detail(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> "There is no resource at this path.";
            case METHOD_NOT_ALLOWED -> "This path does not support this method.";
            case CONTENT_TOO_LARGE -> "The request body is too large.";
            case UNAUTHORIZED -> "Authentication is required.";
            case FORBIDDEN -> "This caller may not do that.";
            case SERVICE_UNAVAILABLE -> "The database cannot be reached at the moment; send the request again.";
            default -> status.is5xxServerError() ? "An unexpected error occurred; it has been logged."
                    : "The request could not be handled.";
        };
    }
}
