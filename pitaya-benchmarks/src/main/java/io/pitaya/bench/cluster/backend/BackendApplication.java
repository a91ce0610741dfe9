package io.pitaya.bench.cluster.backend;

import io.pitaya.spring.component.PitayaComponent;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The backend of scenario 3: server type {@code room}, route {@code room.echo.echo}. */
@SpringBootApplication
public class BackendApplication {

    /** Answers with the request body, untouched. */
    @PitayaComponent("echo")
    public static class Echo {

        public byte[] echo(byte[] body) {
            return body;
        }
    }
}
