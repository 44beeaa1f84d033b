package dev.junction.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.junction.core.ErrorKind;
import dev.junction.protocol.responses.ResponseLog;
import dev.junction.protocol.responses.ResponsesClientRequest;
import java.util.Set;

/** {@code POST /v1/responses} bodies: input items, tools and the canonical decoder. */
class ResponsesFuzzTest {

    @FuzzTest
    void anyBodyIsServedOrRefusedWith400(byte[] body) throws Exception {
        check(body);
    }

    static void check(byte[] body) throws Exception {
        // An unknown previous_response_id is the client's 404.
        Outcomes.clientInput(() -> ClientRequests.exercise(ResponsesClientRequest.parse(body, ResponseLog.NONE,
                "resp_fuzz")), Set.of(ErrorKind.INVALID_REQUEST, ErrorKind.NOT_FOUND));
    }
}
