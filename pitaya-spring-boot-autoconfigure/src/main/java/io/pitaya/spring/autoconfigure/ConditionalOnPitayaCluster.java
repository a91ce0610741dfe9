package io.pitaya.spring.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * Matches in cluster mode ({@code pitaya.mode=cluster}) with what cluster mode runs on: Spring Kafka,
 * Boot's Kafka support and Spring Cloud's discovery. (Without them, cluster mode fails at start-up with
 * a message naming what to add.)
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnProperty(name = "pitaya.mode", havingValue = "cluster")
@ConditionalOnClass(name = {"org.springframework.kafka.core.KafkaTemplate",
        "org.springframework.boot.kafka.autoconfigure.KafkaProperties",
        "org.springframework.cloud.client.discovery.DiscoveryClient"})
public @interface ConditionalOnPitayaCluster {
}
