package io.meshcp.shared;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.web.WebProperties;
import org.springframework.boot.webmvc.autoconfigure.error.BasicErrorController;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorViewResolver;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Errors that never reach a controller (an unknown path, a wrong method, a body the container refused)
 * end here. Browsers keep the HTML error pages; every other client gets an RFC 9457 problem detail with
 * the same stable types as the API advice, instead of Spring Boot's own JSON shape.
 */
@Controller
@RequestMapping("${server.error.path:${error.path:/error}}")
class ProblemErrorController extends BasicErrorController {

    ProblemErrorController(ErrorAttributes errorAttributes, WebProperties web,
            ObjectProvider<ErrorViewResolver> resolvers) {
        super(errorAttributes, web.getError(), resolvers.orderedStream().toList());
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
        body.put("detail", detail(status));
        Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (path != null) {
            body.put("instance", path.toString());
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    private static String detail(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> "There is no resource at this path.";
            case METHOD_NOT_ALLOWED -> "This path does not support this method.";
            case CONTENT_TOO_LARGE -> "The request body is too large.";
            case UNAUTHORIZED -> "Authentication is required.";
            case FORBIDDEN -> "This caller may not do that.";
            default -> status.is5xxServerError() ? "An unexpected error occurred; it has been logged."
                    : "The request could not be handled.";
        };
    }
}
