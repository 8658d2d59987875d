package io.rinpoche.deploy.web.api;

import io.rinpoche.deploy.history.HistoryException;
import io.rinpoche.deploy.requests.NothingToRollBackException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Refusals of the admin API as RFC 9457 problem+json: bad input 400, nothing to roll back 409. Malformed
 * JSON and bad query parameters are Spring MVC's own 400 problems ({@code spring.mvc.problemdetails}).
 */
@RestControllerAdvice(assignableTypes = {DeploymentController.class, EnvironmentController.class, PinController.class})
public class ApiProblems {

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> badInput(IllegalArgumentException e) {
        return problem(HttpStatus.BAD_REQUEST, e.getMessage());
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
