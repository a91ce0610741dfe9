package io.pitaya.spring.internal.cluster.consul;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Consul's KV HTTP API with its semantics, for what WireMock's canned answers cannot show (races between
 * frontends): {@code GET /v1/kv/<key>} (404 when absent), {@code PUT} and {@code DELETE} with
 * {@code ?cas=<index>} (index 0 on a PUT: only if absent), answering {@code true} or {@code false}, one
 * modify index for the whole store as Consul's Raft index; {@code GET ?keys[&separator=/]} listing the keys under a
 * prefix (404 when none), {@code DELETE ?recurse} deleting them. Keys are compared as sent (encoded).
 */
final class ConsulKvStandIn implements AutoCloseable {

    private record Entry(String value, long modifyIndex) {
    }

    private final HttpServer server;
    private final java.util.TreeMap<String, Entry> entries = new java.util.TreeMap<>();
    private long index = 1;

    ConsulKvStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/v1/kv/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String key = exchange.getRequestURI().getRawPath().substring("/v1/kv/".length());
        Map<String, String> params = new HashMap<>();
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            for (String param : query.split("&")) {
                int eq = param.indexOf('=');
                params.put(eq < 0 ? param : param.substring(0, eq),
                        eq < 0 ? "" : java.net.URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        Long cas = params.containsKey("cas") ? Long.parseLong(params.get("cas")) : null;
        String method = exchange.getRequestMethod();
        byte[] body = exchange.getRequestBody().readAllBytes();
        synchronized (this) {
            Entry entry = entries.get(key);
            switch (method) {
                case "GET" -> {
                    if (params.containsKey("keys")) {
                        String separator = params.get("separator");
                        java.util.LinkedHashSet<String> keys = new java.util.LinkedHashSet<>();
                        for (String stored : entries.tailMap(key).keySet()) {
                            if (!stored.startsWith(key)) {
                                break;
                            }
                            int cut = separator == null || separator.isEmpty() ? -1 : stored.indexOf(separator, key.length());
                            keys.add(cut < 0 ? stored : stored.substring(0, cut + separator.length()));
                        }
                        answer(exchange, keys.isEmpty() ? 404 : 200, keys.isEmpty() ? "" : keys.stream()
                                .map(k -> "\"" + k + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]")));
                    } else if (entry == null) {
                        answer(exchange, 404, "");
                    } else {
                        answer(exchange, 200, "[{\"Key\":\"%s\",\"Value\":\"%s\",\"ModifyIndex\":%d}]".formatted(
                                key, Base64.getEncoder().encodeToString(entry.value().getBytes(StandardCharsets.UTF_8)),
                                entry.modifyIndex()));
                    }
                }
                case "PUT" -> {
                    boolean allowed = cas == null || (cas == 0 ? entry == null : entry != null && entry.modifyIndex() == cas);
                    if (allowed) {
                        entries.put(key, new Entry(new String(body, StandardCharsets.UTF_8), ++index));
                    }
                    answer(exchange, 200, Boolean.toString(allowed));
                }
                case "DELETE" -> {
                    if (params.containsKey("recurse")) {
                        entries.keySet().removeIf(stored -> stored.startsWith(key));
                        index++;
                        answer(exchange, 200, "true");
                        return;
                    }
                    boolean allowed = cas == null || (entry != null && entry.modifyIndex() == cas);
                    if (allowed) {
                        entries.remove(key);
                        index++;
                    }
                    answer(exchange, 200, Boolean.toString(allowed));
                }
                default -> answer(exchange, 405, "");
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
