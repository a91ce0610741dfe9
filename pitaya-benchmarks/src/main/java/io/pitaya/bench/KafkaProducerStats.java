package io.pitaya.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * How well Kafka producers in this JVM batch: records per produce request and requests per second,
 * read from the producers' own metrics (JMX). Fewer records per request means more broker work per
 * record, which is what separates a forwarding path from the ping-pong floor at the same load.
 */
public final class KafkaProducerStats {

    private KafkaProducerStats() {
    }

    /** @return one line per producer of this JVM, e.g. {@code producer-1: 3.2 records/request, 2,100 requests/s} */
    public static List<String> lines() {
        List<String> lines = new ArrayList<>();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            for (ObjectName name : server.queryNames(new ObjectName("kafka.producer:type=producer-metrics,*"), null)) {
                double records = number(server.getAttribute(name, "records-per-request-avg"));
                double requests = number(server.getAttribute(name, "request-rate"));
                double sendRate = number(server.getAttribute(name, "record-send-rate"));
                lines.add(String.format("%s: %.2f records/request, %,.0f requests/s, %,.0f records/s", name.getKeyProperty("client-id"),
                        records, requests, sendRate));
            }
            for (ObjectName name : server.queryNames(new ObjectName("kafka.consumer:type=consumer-fetch-manager-metrics,*"), null)) {
                if (name.getKeyProperty("topic") != null || name.getKeyProperty("partition") != null) {
                    continue;
                }
                double records = number(server.getAttribute(name, "records-per-request-avg"));
                double fetches = number(server.getAttribute(name, "fetch-rate"));
                lines.add(String.format("%s: %.2f records/fetch, %,.0f fetches/s", name.getKeyProperty("client-id"), records, fetches));
            }
            java.util.Map<String, Double> broker = new java.util.TreeMap<>();
            for (ObjectName name : server.queryNames(new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,*"), null)) {
                broker.merge(name.getKeyProperty("request"), number(server.getAttribute(name, "OneMinuteRate")), Double::sum);
            }
            StringBuilder line = new StringBuilder("broker requests/s (1 min):");
            broker.forEach((request, rate) -> {
                if (rate >= 1) {
                    line.append(String.format(" %s %,.0f", request, rate));
                }
            });
            lines.add(line.toString());
        } catch (Exception e) {
            lines.add("producer metrics unavailable: " + e);
        }
        return lines;
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
