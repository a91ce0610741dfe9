package io.pitaya.spring.faults;

import java.util.Arrays;

import io.pitaya.spring.clusterit.backend.RoomApplication;
import io.pitaya.spring.clusterit.frontend.ConnectorApplication;
import io.pitaya.spring.internal.acceptor.tcp.TcpAcceptor;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One server of the fault suite in its own JVM: {@code frontend} (the test connector) or {@code backend}
 * (the test room), then Spring arguments. Prints a ready line once it serves; stops on SIGTERM.
 */
public final class FaultServer {

    /** Printed once the server is up, followed by its TCP port ("-" for a backend). */
    public static final String READY = "FAULT-SERVER-READY tcp=";

    private FaultServer() {
    }

    public static void main(String[] args) {
        boolean frontend = args[0].equals("frontend");
        ConfigurableApplicationContext context = new SpringApplicationBuilder(frontend ? ConnectorApplication.class : RoomApplication.class)
                .web(WebApplicationType.NONE)
                .run(Arrays.copyOfRange(args, 1, args.length));
        System.out.println(READY + (frontend ? String.valueOf(context.getBean(TcpAcceptor.class).port()) : "-"));
    }
}
