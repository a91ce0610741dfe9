package io.pitaya.spring.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/** A behaviour test against the test context's server: {@link #server} connects clients and closes them after each test. */
abstract class ServerTestSupport {

    @Autowired
    ApplicationContext context;

    ServerUnderTest server;

    @BeforeEach
    void openServer() {
        server = new ServerUnderTest(context);
    }

    @AfterEach
    void closeClients() {
        server.close();
    }
}
