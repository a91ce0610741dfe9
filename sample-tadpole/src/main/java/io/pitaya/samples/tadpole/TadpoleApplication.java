package io.pitaya.samples.tadpole;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The tadpole world: open http://localhost:3252/ in a few windows and swim. */
@SpringBootApplication
public class TadpoleApplication {

    public static void main(String[] args) {
        SpringApplication.run(TadpoleApplication.class, args);
    }
}
