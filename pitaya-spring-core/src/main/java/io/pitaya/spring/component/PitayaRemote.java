package io.pitaya.spring.component;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A class whose public methods are remotes, called by other servers at route
 * {@code <serverType>.<remote>.<method>}; protobuf messages in and out.
 *
 * <p>Found in the application's packages like {@link PitayaComponent}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface PitayaRemote {

    /** @return the remote name in routes (may be a ${...} placeholder); the decapitalised class name, after the naming strategy, when empty */
    String value() default "";
}
