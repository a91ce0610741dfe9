package io.pitaya.spring.internal.cluster.rpc;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.protocol.HandshakeRequest;
import io.pitaya.protocol.proto.PitayaProto;
import io.pitaya.protocol.proto.PitayaProto.KickMsg;
import io.pitaya.protocol.proto.PitayaProto.Push;
import io.pitaya.spring.internal.dispatch.HandlerInvoker;
import io.pitaya.spring.internal.session.AbstractSession;
import io.pitaya.spring.internal.session.OutboundEncoder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A backend's copy of a client's session, for one forwarded message: id, uid and data as the frontend
 * sent them. What changes the client's real session goes back to its frontend: {@link #bind(String)}
 * ({@code sys.bindsession}), {@link #pushToFront()} ({@code sys.pushsession}), pushes ({@code sys.push})
 * and kicks ({@code sys.kick}).
 */
public final class BackendSession extends AbstractSession {

    private static final Log logger = LogFactory.getLog(BackendSession.class);

    private final String frontendId;
    private final RpcClient cluster;
    private final OutboundEncoder encoder;

    /**
     * @param proto the session as the frontend sent it
     * @param frontendId the frontend holding the client
     * @param cluster reaches the frontend
     * @param encoder serializes pushes
     */
    public BackendSession(PitayaProto.Session proto, String frontendId, RpcClient cluster, OutboundEncoder encoder) {
        super(proto.getId(), proto.getUid().isEmpty() ? null : proto.getUid(), cluster.sessionData().decode(proto.getData()));
        this.frontendId = frontendId;
        this.cluster = cluster;
        this.encoder = encoder;
    }

    /** @return the id of the frontend holding the client */
    public String frontendId() {
        return frontendId;
    }

    /** Binds the uid on the client's frontend and waits for it, so that the caller sees the outcome. */
    @Override
    public void bind(String newUid) {
        PitayaProto.Session proto = PitayaProto.Session.newBuilder().setId(id()).setUid(String.valueOf(newUid)).build();
        bind(newUid, () -> await(cluster.sys(frontendId, SysRoutes.BIND_SESSION, proto, new byte[0])));
    }

    /** Replaces the frontend session's data with this copy's, and waits for it. */
    @Override
    public void pushToFront() {
        await(cluster.sys(frontendId, SysRoutes.PUSH_SESSION, cluster.sessionData().toProto(this), new byte[0]));
    }

    @Override
    public boolean push(String route, Object payload) {
        Push push = Push.newBuilder().setRoute(route).setUid(uid() == null ? "" : uid())
                .setData(com.google.protobuf.ByteString.copyFrom(encoder.body(payload))).build();
        cluster.sys(frontendId, SysRoutes.PUSH, reference(), push.toByteArray()).whenComplete((r, e) -> {
            if (e != null) {
                logger.debug("push " + route + " to session " + id() + " failed: " + HandlerInvoker.unwrap(e).getMessage());
            }
        });
        return true;
    }

    @Override
    public void kick() {
        kick("", "");
    }

    /** Kicks on the client's frontend, which pushes the reason first when it has a kick route. */
    @Override
    public void kick(String code, String reason) {
        KickMsg kick = KickMsg.newBuilder().setUserId(uid() == null ? "" : uid())
                .setCode(code == null ? "" : code).setReason(reason == null ? "" : reason).build();
        cluster.sys(frontendId, SysRoutes.KICK, reference(), kick.toByteArray());
    }

    /** Kicks the client: a backend cannot close a connection silently. */
    @Override
    public void close() {
        kick();
    }

    @Override
    public boolean isClosed() {
        return false;
    }

    /** Not available on a backend: the connection lives on the frontend (as in pitaya). */
    @Override
    public void onClose(Runnable callback) {
        throw new PitayaException(ErrorCodes.INTERNAL, "onClose is not available on a backend session; "
                + "use a SessionListener on the frontend");
    }

    @Override
    public HandshakeRequest handshake() {
        return HandshakeRequest.of("", "", Map.of());
    }

    @Override
    public String remoteAddress() {
        return "frontend " + frontendId;
    }

    private PitayaProto.Session reference() {
        return PitayaProto.Session.newBuilder().setId(id()).setUid(uid() == null ? "" : uid()).build();
    }

    private static void await(CompletableFuture<byte[]> call) {
        try {
            call.join();
        } catch (RuntimeException e) {
            Throwable cause = HandlerInvoker.unwrap(e);
            throw cause instanceof PitayaException pitaya ? pitaya
                    : new PitayaException(ErrorCodes.INTERNAL, String.valueOf(cause.getMessage()));
        }
    }

    @Override
    public String toString() {
        return "BackendSession[" + id() + (uid() != null ? ", uid=" + uid() : "") + ", frontend=" + frontendId + "]";
    }
}
