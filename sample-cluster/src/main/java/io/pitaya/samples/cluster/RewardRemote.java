package io.pitaya.samples.cluster;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.pitaya.samples.cluster.protos.RPCMsg;
import io.pitaya.samples.cluster.protos.RPCRes;
import io.pitaya.spring.Pitaya;
import io.pitaya.spring.PitayaContext;
import io.pitaya.spring.component.PitayaRemote;
import org.springframework.context.annotation.Profile;

/**
 * Grants a reward, run as a reliable RPC job ({@code room.room.reward} submits it): on one room server, retried until it
 * succeeds. Jobs run at least once, so it grants each job once, by its id (a real game keeps the granted ids in its
 * database, in the same transaction as the grant), and tells the player with {@code onReward}.
 */
@Profile("backend")
@PitayaRemote("rewardremote")
public class RewardRemote {

    private final Pitaya pitaya;
    private final Set<String> granted = ConcurrentHashMap.newKeySet();

    /** @param pitaya pushes to the player */
    public RewardRemote(Pitaya pitaya) {
        this.pitaya = pitaya;
    }

    /**
     * @param grant the player's uid
     * @return done
     */
    public RPCRes grant(RPCMsg grant) {
        String job = (String) PitayaContext.current().get(PitayaContext.JOB_ID);
        if (granted.add(job)) {
            pitaya.pushToUsers("onReward", RPCMsg.newBuilder().setMsg("reward granted by " + pitaya.serverId()).build(),
                    List.of(grant.getMsg()), "connector");
        }
        return RPCRes.newBuilder().setMsg("granted").build();
    }
}
