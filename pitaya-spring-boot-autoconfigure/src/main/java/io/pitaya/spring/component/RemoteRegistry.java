package io.pitaya.spring.component;

/** The remotes of this server: methods of {@link PitayaRemote} beans, called by other servers. */
public class RemoteRegistry extends MethodRegistry {

    /** @param naming how Java names become route names */
    public RemoteRegistry(NamingStrategy naming) {
        super(naming, null);
    }
}
