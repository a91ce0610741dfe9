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
        } catch (Exception e) {
            lines.add("producer metrics unavailable: " + e);
        }
        return lines;
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
