package io.pitaya.spring.internal.component;

import io.pitaya.spring.component.NamingStrategy;
import io.pitaya.spring.component.PitayaMethod;
import io.pitaya.spring.component.PitayaRemote;

/** The remotes of this server: methods of {@link PitayaRemote} beans, called by other servers. */
public class RemoteRegistry extends MethodRegistry {

    /** @param naming how Java names become route names */
    public RemoteRegistry(NamingStrategy naming) {
        this(naming, false);
    }

    /**
     * @param naming how Java names become route names
     * @param strict whether only methods annotated with {@link PitayaMethod} are routes
     */
    public RemoteRegistry(NamingStrategy naming, boolean strict) {
        super(naming, null, strict);
    }
}
