package io.pitaya.spring.component;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a {@link PitayaComponent} or {@link PitayaRemote} explicitly, optionally with its
 * route name. An annotated method whose signature does not fit fails start-up with the reason, where an
 * unannotated one is simply not registered.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface PitayaMethod {

    /** @return the method name in routes; derived from the Java name by the naming strategy when empty */
    String value() default "";
}
