package io.pitaya.spring.component;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A class whose public methods are handlers, called by game clients at route
 * {@code <serverType>.<component>.<method>}.
 *
 * <p>Every public method with a fitting signature is registered: an optional
 * {@link io.pitaya.spring.session.Session} first, then an optional payload (a POJO or record, a
 * protobuf message, or {@code byte[]} for the raw body). A method that returns a value (or a
 * {@code CompletableFuture}) answers Requests; a {@code void} method handles Notifies.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface PitayaComponent {

    /** @return the component name in routes (may be a ${...} placeholder); the decapitalised class name, after the naming strategy, when empty */
    String value() default "";
}
