package io.callcenter.call.api;

import io.callcenter.call.model.NotActiveInstance;
import io.callcenter.web.ApiProblem;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A click on a call this instance no longer runs (it gave up the floor; the other instance adopted the call): the
 * client is told to try again, which its load balancer sends to the active instance, rather than a 500 or a
 * "call is over" that is not true.
 */
@RestControllerAdvice
class NotActiveInstanceAdvice {

    /** About the time another instance needs to take the floor and adopt the calls (ownership polls each second). */
    static final String RETRY_AFTER_SECONDS = "2";

    @ExceptionHandler(NotActiveInstance.class)
    ResponseEntity<ProblemDetail> notActive(NotActiveInstance e) {
        ApiProblem problem = new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "not-active-instance",
                "Not the active instance", e.getMessage());
        ProblemDetail body = ProblemDetail.forStatusAndDetail(problem.status(), problem.getMessage());
        body.setType(problem.type());
        body.setTitle(problem.title());
        return ResponseEntity.status(problem.status()).header("Retry-After", RETRY_AFTER_SECONDS).body(body);
    }
}
