package io.pitaya.bench.server;

import io.pitaya.spring.component.PitayaComponent;

/** Scenarios 1 and 2: route {@code echo.echo} answers with the request body, untouched. */
@PitayaComponent("echo")
public class EchoComponent {

    public byte[] echo(byte[] body) {
        return body;
    }
}
