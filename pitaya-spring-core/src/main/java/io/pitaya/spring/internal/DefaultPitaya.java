package io.pitaya.spring.internal;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.spring.Pitaya;
import io.pitaya.spring.PitayaContext;
import io.pitaya.spring.ReliableCalls;
import io.pitaya.spring.group.GroupService;
import io.pitaya.spring.internal.dispatch.HandlerInvoker;
import io.pitaya.spring.internal.dispatch.RemoteCalls;
import io.pitaya.spring.internal.dispatch.RemoteInvoker;
import io.pitaya.spring.internal.session.OutboundEncoder;
import io.pitaya.spring.internal.session.SessionRegistry;
import io.pitaya.spring.session.Session;
import io.pitaya.spring.session.UserMessenger;
import org.jspecify.annotations.Nullable;

/** The server's {@link Pitaya}: over this server's sessions, the messenger that reaches every frontend, and the remote calls. */
public class DefaultPitaya implements Pitaya {

    private final String serverId;
    private final String serverType;
    private final SessionRegistry sessions;
    private final GroupService groups;
    private final OutboundEncoder encoder;
    private final UserMessenger messenger;
    private final RemoteCalls remoteCalls;
    private final java.util.function.Supplier<@Nullable ReliableCalls> reliableCalls;
    private final RemoteInvoker codec;
    private final Executor executor;

    /**
     * @param serverId this server's id
     * @param serverType this server's type
     * @param sessions the sessions of this server
     * @param groups the groups
     * @param encoder serializes pushes
     * @param messenger delivers pushes and kicks to users wherever they are connected
     * @param remoteCalls calls remotes, here or on other servers
     * @param codec serializes remote arguments and answers
     * @param executor completes the futures of asynchronous calls (the handler executor)
     */
    public DefaultPitaya(String serverId, String serverType, SessionRegistry sessions, GroupService groups, OutboundEncoder encoder,
                  UserMessenger messenger, RemoteCalls remoteCalls, RemoteInvoker codec, Executor executor) {
        this(serverId, serverType, sessions, groups, encoder, messenger, remoteCalls, codec, executor, () -> null);
    }

    /**
     * @param reliableCalls submits jobs ({@link Pitaya#reliableRpc}); supplies {@code null} when jobs are not enabled
     */
    public DefaultPitaya(String serverId, String serverType, SessionRegistry sessions, GroupService groups, OutboundEncoder encoder,
                  UserMessenger messenger, RemoteCalls remoteCalls, RemoteInvoker codec, Executor executor,
                  java.util.function.Supplier<@Nullable ReliableCalls> reliableCalls) {
        this.reliableCalls = reliableCalls;
        this.serverId = serverId;
        this.serverType = serverType;
        this.sessions = sessions;
        this.groups = groups;
        this.encoder = encoder;
        this.messenger = messenger;
        this.remoteCalls = remoteCalls;
        this.codec = codec;
        this.executor = executor;
    }

    @Override
    public CompletableFuture<String> reliableRpc(String jobId, String route, Object arg) {
        ReliableCalls jobs = reliableCalls.get();
        if (jobs == null) {
            return CompletableFuture.failedFuture(new PitayaException(ErrorCodes.INTERNAL,
                    "reliable RPC needs pitaya.mode=cluster and pitaya.cluster.jobs.enabled=true"));
        }
        return jobs.submit(jobId, route, codec.encode(arg), PitayaContext.current());
    }

    @Override
    public CompletableFuture<String> reliableRpc(String route, Object arg) {
        return reliableRpc(java.util.UUID.randomUUID().toString(), route, arg);
    }

    @Override
    public String serverId() {
        return serverId;
    }

    @Override
    public String serverType() {
        return serverType;
    }

    @Override
    public @Nullable Session session(long id) {
        return sessions.byId(id);
    }

    @Override
    public @Nullable Session sessionByUid(String uid) {
        return sessions.byUid(uid);
    }

    @Override
    public int sessionCount() {
        return sessions.count();
    }

    @Override
    public List<String> pushToUsers(String route, Object payload, Collection<String> uids) {
        return pushToUsers(route, payload, uids, null);
    }

    @Override
    public List<String> pushToUsers(String route, Object payload, Collection<String> uids, @Nullable String frontendType) {
        return messenger.push(route, encoder.body(payload), uids, frontendType);
    }

    @Override
    public List<String> kickUsers(Collection<String> uids) {
        return kickUsers(uids, null);
    }

    @Override
    public List<String> kickUsers(Collection<String> uids, @Nullable String frontendType) {
        return messenger.kick(uids, frontendType, null, null);
    }

    @Override
    public List<String> kickUsers(Collection<String> uids, String code, String reason) {
        return messenger.kick(uids, null, code, reason);
    }

    @Override
    public <T> CompletableFuture<T> rpcAsync(String route, Object arg, Class<T> replyType) {
        return rpcToAsync(null, route, arg, replyType);
    }

    @Override
    public <T> CompletableFuture<T> rpcToAsync(@Nullable String serverId, String route, Object arg, Class<T> replyType) {
        return rpcToAsync(PitayaContext.current(), serverId, route, arg, replyType);
    }

    @Override
    public <T> CompletableFuture<T> rpcAsync(PitayaContext context, String route, Object arg, Class<T> replyType) {
        return rpcToAsync(context, null, route, arg, replyType);
    }

    @Override
    public <T> CompletableFuture<T> rpcToAsync(PitayaContext context, @Nullable String serverId, String route, Object arg, Class<T> replyType) {
        // Completed on the handler executor, never on the thread that received the reply (a Kafka consumer):
        // a continuation that blocks, say on another rpc, would otherwise stall every reply of this server.
        return remoteCalls.call(serverId, route, codec.encode(arg), null, context).thenApplyAsync(bytes -> codec.decode(bytes, replyType), executor);
    }

    @Override
    public <T> T rpc(PitayaContext context, String route, Object arg, Class<T> replyType) {
        return codec.decode(await(remoteCalls.call(null, route, codec.encode(arg), null, context)), replyType);
    }

    @Override
    public <T> T rpc(String route, Object arg, Class<T> replyType) {
        return rpcTo(null, route, arg, replyType);
    }

    @Override
    public <T> T rpcTo(@Nullable String serverId, String route, Object arg, Class<T> replyType) {
        return codec.decode(await(remoteCalls.call(serverId, route, codec.encode(arg), null, PitayaContext.current())), replyType);
    }

    private static <T> T await(CompletableFuture<T> call) {
        try {
            return call.join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = HandlerInvoker.unwrap(e);
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    @Override
    public GroupService groups() {
        return groups;
    }
}
