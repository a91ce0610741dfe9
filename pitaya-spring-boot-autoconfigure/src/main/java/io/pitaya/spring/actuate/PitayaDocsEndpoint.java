package io.pitaya.spring.actuate;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.pitaya.spring.internal.docs.PitayaDocs;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/pitayadocs}: the documentation pitaya's docs handler serves, as JSON, for humans and tools:
 * every handler and remote of the cluster with its input and output types.
 */
@Endpoint(id = "pitayadocs")
public class PitayaDocsEndpoint {

    private final PitayaDocs docs;

    /** @param docs what is documented */
    public PitayaDocsEndpoint(PitayaDocs docs) {
        this.docs = docs;
    }

    /**
     * @return the cluster's documentation (other server types that do not answer within 10 s are left out)
     * @throws Exception when interrupted
     */
    @ReadOperation
    public Map<String, Object> docs() throws Exception {
        return docs.cluster().get(10, TimeUnit.SECONDS);
    }
}
