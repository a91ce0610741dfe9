package io.pitaya.samples.chat;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * pitaya's chat example on the starter: one standalone server, clients over TCP (port 3250) and
 * WebSocket ({@code /pitaya} on port 3251, which also serves the browser page at {@code /}).
 */
@SpringBootApplication
public class ChatApplication {

    public static void main(String[] args) {
        SpringApplication.run(ChatApplication.class, args);
    }
}
