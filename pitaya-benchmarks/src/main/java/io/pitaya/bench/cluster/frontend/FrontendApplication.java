package io.pitaya.bench.cluster.frontend;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The frontend of scenario 3: no components of its own, it only forwards to the backend. */
@SpringBootApplication
public class FrontendApplication {
}
