package io.rinpoche.deploy.web;

import io.rinpoche.deploy.history.HistoryException;
import io.rinpoche.deploy.hook.HookRejection;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Answers a refused hook with a small RFC 9457 problem+json body ({@code HookDeliveries} has counted it). */
@RestControllerAdvice(assignableTypes = HookController.class)
public class HookProblems {

    private static final Logger log = LoggerFactory.getLogger(HookProblems.class);
    @ExceptionHandler(HookRejection.class)
    ResponseEntity<ProblemDetail> rejected(HookRejection rejection) {
        HttpStatus status = switch (rejection.reason()) {
            case UNKNOWN_SOURCE -> HttpStatus.NOT_FOUND;
            case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case UNAUTHORIZED -> HttpStatus.UNAUTHORIZED;
            case MALFORMED -> HttpStatus.BAD_REQUEST;
        };
        String source = rejection.source() == null ? "unknown" : rejection.source();
        // Neither the path (it may hold a token) nor an unknown source's name (it may be a misplaced token) is echoed.
        log.warn("hook from source {} refused with {}: {}", source, status.value(), rejection.getMessage());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, rejection.getMessage());
        problem.setTitle(status.getReasonPhrase());
        problem.setInstance(URI.create(rejection.source() == null ? "/hooks" : "/hooks/" + rejection.source()));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    // Not acknowledged, so not lost: a registry redelivers what was not answered 2xx.
    @ExceptionHandler(HistoryException.class)
    ResponseEntity<ProblemDetail> unrecorded(HistoryException e) {
        log.error("hook accepted but its intent could not be recorded, answering 503: {}", e.getMessage());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "the deploy could not be recorded in the state repository: " + e.getMessage());
        problem.setTitle(HttpStatus.SERVICE_UNAVAILABLE.getReasonPhrase());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
