package io.pitaya.bench.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The framework side of the benchmarks: a standalone pitaya server on the starter with two
 * components, {@link EchoComponent} and {@link BenchComponent}, and the starter's defaults except the
 * ports and the heartbeat (see {@code bench-server.properties}).
 *
 * <pre>
 * java io.pitaya.bench.server.BenchServerApplication --pitaya.acceptor.tcp.port=3250 --server.port=3251
 * </pre>
 */
@SpringBootApplication
public class BenchServerApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(BenchServerApplication.class);
        application.setDefaultProperties(java.util.Map.of("spring.config.name", "bench-server"));
        application.run(args);
    }
}
