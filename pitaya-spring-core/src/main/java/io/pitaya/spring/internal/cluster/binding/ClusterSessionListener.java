package io.pitaya.spring.internal.cluster.binding;

import java.util.function.Supplier;

import io.pitaya.protocol.proto.PitayaProto;
import io.pitaya.protocol.proto.PitayaProto.KickMsg;
import io.pitaya.spring.cluster.SessionBindingStore;
import io.pitaya.spring.internal.cluster.rpc.RpcClient;
import io.pitaya.spring.internal.cluster.rpc.SysRoutes;
import io.pitaya.spring.internal.support.RateLimitedLog;
import io.pitaya.spring.session.Session;
import io.pitaya.spring.session.SessionListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * On a frontend: records where each uid is bound, and with unique sessions kicks an older session of
 * the same uid on another frontend.
 */
public class ClusterSessionListener implements SessionListener {

    private static final Log logger = LogFactory.getLog(ClusterSessionListener.class);

    private final Supplier<@Nullable SessionBindingStore> bindings;
    private final RpcClient cluster;
    private final boolean unique;
    private final RateLimitedLog failedKicks = new RateLimitedLog(logger, RateLimitedLog.DEFAULT_INTERVAL);

    /**
     * @param bindings uid to frontend; supplies {@code null} when the cluster keeps no bindings
     * @param cluster reaches other frontends
     * @param unique whether a uid may be connected once only
     */
    public ClusterSessionListener(Supplier<@Nullable SessionBindingStore> bindings, RpcClient cluster, boolean unique) {
        this.bindings = bindings;
        this.cluster = cluster;
        this.unique = unique;
    }

    @Override
    public void onBind(Session session) {
        SessionBindingStore store = bindings.get();
        if (store == null) {
            return;
        }
        String self = cluster.self().id();
        // The swap is atomic: of two frontends binding the same uid at once, the later one learns of
        // the earlier and kicks it, so one session survives.
        String previous = store.bind(session.uid(), self);
        if (session.isClosed()) {
            // Closed while the store was binding: its unbind may have run first, and would leave this binding behind.
            store.unbind(session.uid(), self);
            return;
        }
        if (unique && previous != null && !previous.equals(self) && cluster.discovery().server(previous) != null) {
            logger.info("uid " + session.uid() + " bound again on " + self + ": kicking its session on frontend " + previous);
            byte[] kick = KickMsg.newBuilder().setUserId(session.uid()).build().toByteArray();
            cluster.sys(previous, SysRoutes.KICK, PitayaProto.Session.newBuilder().setUid(session.uid()).build(), kick)
                    .whenComplete((r, e) -> {
                        if (e != null) {
                            failedKicks.warn(previous, "could not kick uid " + session.uid() + " on frontend " + previous + ": "
                                    + e.getMessage());
                        }
                    });
        }
    }

    @Override
    public void onClose(Session session) {
        SessionBindingStore store = bindings.get();
        if (store != null && session.uid() != null) {
            store.unbind(session.uid(), cluster.self().id());
        }
    }
}
