package io.pitaya.spring.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when this server is a frontend ({@code pitaya.server.frontend}, default true) and the named
 * acceptor is enabled ({@code pitaya.acceptor.<name>.enabled}, default true).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnPitayaAcceptorCondition.class)
public @interface ConditionalOnPitayaAcceptor {

    /** @return the acceptor name: {@code tcp} or {@code websocket} */
    String value();
}
