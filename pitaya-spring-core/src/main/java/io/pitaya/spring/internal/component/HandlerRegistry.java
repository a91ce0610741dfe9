package io.pitaya.spring.internal.component;

import io.pitaya.spring.component.NamingStrategy;
import io.pitaya.spring.component.PitayaComponent;
import io.pitaya.spring.component.PitayaMethod;
import io.pitaya.spring.session.Session;

/** The handlers of this server: methods of {@link PitayaComponent} beans, called by clients. */
public class HandlerRegistry extends MethodRegistry {

    /** @param naming how Java names become route names */
    public HandlerRegistry(NamingStrategy naming) {
        this(naming, false);
    }

    /**
     * @param naming how Java names become route names
     * @param strict whether only methods annotated with {@link PitayaMethod} are routes
     */
    public HandlerRegistry(NamingStrategy naming, boolean strict) {
        super(naming, Session.class, strict);
    }
}
