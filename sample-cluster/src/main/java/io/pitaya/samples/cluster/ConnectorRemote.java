package io.pitaya.samples.cluster;

import io.pitaya.samples.cluster.protos.RPCMsg;
import io.pitaya.samples.cluster.protos.RPCRes;
import io.pitaya.spring.component.PitayaRemote;
import org.springframework.context.annotation.Profile;

/**
 * A remote on the frontend, called by other servers (e.g. through {@code room.room.sendrpc}) at
 * {@code connector.connectorremote.remotefunc}.
 */
@Profile("frontend")
@PitayaRemote("connectorremote")
public class ConnectorRemote {

    /**
     * @param message what the caller sent
     * @return the same text back
     */
    public RPCRes remoteFunc(RPCMsg message) {
        return RPCRes.newBuilder().setMsg(message.getMsg()).build();
    }
}
