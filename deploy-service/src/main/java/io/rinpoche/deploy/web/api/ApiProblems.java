package io.rinpoche.deploy.web.api;

import io.rinpoche.deploy.history.HistoryException;
import io.rinpoche.deploy.model.Texts;
import io.rinpoche.deploy.requests.NothingToRollBackException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Refusals of the admin API as RFC 9457 problem+json: bad input 400 (a body that is not the JSON asked for says
 * where and why), nothing to roll back 409. Bad query parameters are Spring MVC's own 400 problems
 * ({@code spring.mvc.problemdetails}). Ordered first, so that its answer to an unreadable body wins over Spring's
 * "Failed to read request".
 */
@RestControllerAdvice(assignableTypes = {DeploymentController.class, EnvironmentController.class, PinController.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ApiProblems {

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> badInput(IllegalArgumentException e) {
        return problem(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        return problem(HttpStatus.BAD_REQUEST, "the body is not the JSON object this endpoint takes: "
                + why(e.getMostSpecificCause()));
    }

    // Jackson's own words without the input they quote at length: a wrong type names the field.
    private static String why(Throwable cause) {
        if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()
                && mismatch.getPath().get(mismatch.getPath().size() - 1).getPropertyName() != null) {
            String field = mismatch.getPath().get(mismatch.getPath().size() - 1).getPropertyName();
            return "'" + Texts.abbreviate(field) + "' must be " + (mismatch.getTargetType() == String.class
                    ? "a string" : "a " + mismatch.getTargetType().getSimpleName());
        }
        if (cause instanceof JacksonException json) {
            String where = json.getLocation() == null ? "" : " at line " + json.getLocation().getLineNr() + ", column "
                    + json.getLocation().getColumnNr();
            return Texts.abbreviate(json.getOriginalMessage()) + where;
        }
        return "it is empty or cannot be read";
    }

    @ExceptionHandler(NothingToRollBackException.class)
    ResponseEntity<ProblemDetail> nothingToRollBack(NothingToRollBackException e) {
        return problem(HttpStatus.CONFLICT, e.getMessage());
    }

    // Shutting down.
    @ExceptionHandler(IllegalStateException.class)
    ResponseEntity<ProblemDetail> unavailable(IllegalStateException e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }

    @ExceptionHandler(HistoryException.class)
    ResponseEntity<ProblemDetail> unrecorded(HistoryException e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "the state repository cannot record it: " + e.getMessage());
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        log.info("API request refused with {}: {}", status.value(), detail);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(status.getReasonPhrase());
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
