package io.meshcp.shared.problems;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** Builds problem details with the stable types; used by the API advice and the security entry points. */
public final class Problems {

    private Problems() {
    }

    public static ProblemDetail of(HttpStatus status, ProblemType type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type.uri());
        return problem;
    }

    public static ProblemDetail validation(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.getFirst().field() + ": " + errors.getFirst().message()
                : errors.size() + " fields are invalid";
        ProblemDetail problem = of(HttpStatus.BAD_REQUEST, ProblemType.VALIDATION, detail);
        problem.setTitle("Invalid request content");
        problem.setProperty("errors", errors);
        return problem;
    }
}
