package io.pitaya.spring;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.spring.internal.dispatch.HandlerInvoker;
import io.pitaya.spring.internal.dispatch.RemoteCalls;
import io.pitaya.spring.internal.dispatch.RemoteInvoker;
import io.pitaya.spring.group.GroupService;
import io.pitaya.spring.internal.session.OutboundEncoder;
import io.pitaya.spring.session.Session;
import io.pitaya.spring.internal.session.SessionRegistry;
import io.pitaya.spring.session.UserMessenger;

/**
 * The application's handle on the server: sessions, pushes and kicks to users, groups. Inject it
 * where needed.
 */
public class Pitaya {

    private final String serverId;
    private final String serverType;
    private final SessionRegistry sessions;
    private final GroupService groups;
    private final OutboundEncoder encoder;
    private final UserMessenger messenger;
    private final RemoteCalls remoteCalls;
    private final java.util.function.Supplier<ReliableCalls> reliableCalls;
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
    public Pitaya(String serverId, String serverType, SessionRegistry sessions, GroupService groups, OutboundEncoder encoder,
                  UserMessenger messenger, RemoteCalls remoteCalls, RemoteInvoker codec, Executor executor) {
        this(serverId, serverType, sessions, groups, encoder, messenger, remoteCalls, codec, executor, () -> null);
    }

    /**
     * @param reliableCalls submits jobs ({@link #reliableRpc}); supplies {@code null} when jobs are not enabled
     */
    public Pitaya(String serverId, String serverType, SessionRegistry sessions, GroupService groups, OutboundEncoder encoder,
                  UserMessenger messenger, RemoteCalls remoteCalls, RemoteInvoker codec, Executor executor,
                  java.util.function.Supplier<ReliableCalls> reliableCalls) {
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

    /**
     * Calls a remote reliably, as a durable job (pitaya's {@code ReliableRPC}): the call is written to Kafka and runs on
     * one server of the route's type, now or once one is up, retried with backoff when it fails or times out, and sent
     * to a dead-letter topic with its error after the last attempt ({@code pitaya.cluster.jobs.*}). No answer comes back.
     * <p>
     * At least once: the remote may run more than once. It reads the job id, its idempotency key, with
     * {@code PitayaContext.current().get(ReliableRpc.JOB_ID)} and skips a job it has done already.
     * @param jobId the job's id: the same id for the same piece of work (e.g. {@code "reward:" + matchId + ":" + uid}),
     *        so that a caller that submits again after a crash does not do it twice
     * @param route {@code serverType.remote.method}
     * @param arg the argument: a protobuf message, {@code byte[]} or an object for the serializer
     * @return the job id once Kafka has durably accepted the job; failed (PIT-500) if it did not
     */
    public CompletableFuture<String> reliableRpc(String jobId, String route, Object arg) {
        ReliableCalls jobs = reliableCalls.get();
        if (jobs == null) {
            return CompletableFuture.failedFuture(new PitayaException(ErrorCodes.INTERNAL,
                    "reliable RPC needs pitaya.mode=cluster and pitaya.cluster.jobs.enabled=true"));
        }
        return jobs.submit(jobId, route, codec.encode(arg), PitayaContext.current());
    }

    /**
     * {@link #reliableRpc(String, String, Object)} with a random job id.
     * @param route {@code serverType.remote.method}
     * @param arg the argument
     * @return the job id once Kafka has durably accepted the job
     */
    public CompletableFuture<String> reliableRpc(String route, Object arg) {
        return reliableRpc(java.util.UUID.randomUUID().toString(), route, arg);
    }

    /** @return this server's id */
    public String serverId() {
        return serverId;
    }

    /** @return this server's type */
    public String serverType() {
        return serverType;
    }

    /**
     * @param id a session id
     * @return the open session, or {@code null}
     */
    public Session session(long id) {
        return sessions.byId(id);
    }

    /**
     * @param uid a user id
     * @return the open session bound to the uid, or {@code null}
     */
    public Session sessionByUid(String uid) {
        return sessions.byUid(uid);
    }

    /** @return how many sessions are open on this server */
    public int sessionCount() {
        return sessions.count();
    }

    /**
     * Pushes one message to users; the payload is serialized once.
     * @param route the push route
     * @param payload the payload, {@code byte[]} for a raw body
     * @param uids the users
     * @return the uids that could not be reached (in cluster mode: not bound, or bound to a frontend that is gone;
     *         the push to another frontend is sent without waiting for its answer)
     */
    public List<String> pushToUsers(String route, Object payload, Collection<String> uids) {
        return pushToUsers(route, payload, uids, null);
    }

    /**
     * Pushes one message to users connected to frontends of a type (pitaya's {@code SendPushToUsers});
     * in cluster mode each user is reached on the frontend that holds it.
     * @param route the push route
     * @param payload the payload, {@code byte[]} for a raw body
     * @param uids the users
     * @param frontendType the frontend type holding them, {@code null} for any
     * @return the uids that could not be reached (in cluster mode: not bound, or bound to a frontend that is gone;
     *         the push to another frontend is sent without waiting for its answer)
     */
    public List<String> pushToUsers(String route, Object payload, Collection<String> uids, String frontendType) {
        return messenger.push(route, encoder.body(payload), uids, frontendType);
    }

    /**
     * Kicks users: each gets a Kick and is disconnected.
     * @param uids the users
     * @return the uids that were not connected (in cluster mode: not bound, or bound to a frontend that is gone)
     */
    public List<String> kickUsers(Collection<String> uids) {
        return kickUsers(uids, null);
    }

    /**
     * Kicks users connected to frontends of a type (pitaya's {@code SendKickToUsers}).
     * @param uids the users
     * @param frontendType the frontend type holding them, {@code null} for any
     * @return the uids that were not connected (in cluster mode: not bound, or bound to a frontend that is gone)
     */
    public List<String> kickUsers(Collection<String> uids, String frontendType) {
        return messenger.kick(uids, frontendType, null, null);
    }

    /**
     * Kicks users with a reason: with {@code pitaya.session.kick-route} set, each first gets a push of
     * {@code {code, reason}} on that route (see {@link Session#kick(String, String)}).
     * @param uids the users
     * @param code a code the client can act on, e.g. {@code GAME-BANNED}
     * @param reason words for the player or the logs
     * @return the uids that were not connected (in cluster mode: not bound, or bound to a frontend that is gone)
     */
    public List<String> kickUsers(Collection<String> uids, String code, String reason) {
        return messenger.kick(uids, null, code, reason);
    }

    /**
     * Calls a remote on a server of the route's type, chosen at random (pitaya's {@code RPC}).
     * @param route {@code serverType.remote.method}
     * @param arg the argument: a protobuf message (sent as protobuf), {@code byte[]} (raw) or an object for the serializer
     * @param replyType the answer's type
     * @param <T> the answer's type
     * @return the answer, or a future failed with a {@link io.pitaya.PitayaException} (PIT-408 on timeout)
     */
    public <T> CompletableFuture<T> rpcAsync(String route, Object arg, Class<T> replyType) {
        return rpcToAsync(null, route, arg, replyType);
    }

    /**
     * Calls a remote on one server (pitaya's {@code RPCTo}).
     * @param serverId the server
     * @param route {@code serverType.remote.method}
     * @param arg the argument
     * @param replyType the answer's type
     * @param <T> the answer's type
     * @return the answer, or a future failed with a {@link io.pitaya.PitayaException}
     */
    public <T> CompletableFuture<T> rpcToAsync(String serverId, String route, Object arg, Class<T> replyType) {
        return rpcToAsync(PitayaContext.current(), serverId, route, arg, replyType);
    }

    /**
     * Calls a remote on a server of the route's type with a context: its keys travel with the call, and its
     * deadline ({@link PitayaContext#withTimeout}) bounds the call and tells the callee when the caller gives up.
     * @param context the context, e.g. {@code PitayaContext.current().withTimeout(Duration.ofMillis(300))}
     * @param route {@code serverType.remote.method}
     * @param arg the argument
     * @param replyType the answer's type
     * @param <T> the answer's type
     * @return the answer, or a future failed with a {@link io.pitaya.PitayaException} (PIT-408 past the deadline)
     */
    public <T> CompletableFuture<T> rpcAsync(PitayaContext context, String route, Object arg, Class<T> replyType) {
        return rpcToAsync(context, null, route, arg, replyType);
    }

    /**
     * Calls a remote on one server with a context (see {@link #rpcAsync(PitayaContext, String, Object, Class)}).
     * @param context the context
     * @param serverId the server, {@code null} for any of the route's type
     * @param route {@code serverType.remote.method}
     * @param arg the argument
     * @param replyType the answer's type
     * @param <T> the answer's type
     * @return the answer, or a future failed with a {@link io.pitaya.PitayaException}
     */
    public <T> CompletableFuture<T> rpcToAsync(PitayaContext context, String serverId, String route, Object arg, Class<T> replyType) {
        // Completed on the handler executor, never on the thread that received the reply (a Kafka consumer):
        // a continuation that blocks, say on another rpc, would otherwise stall every reply of this server.
        return remoteCalls.call(serverId, route, codec.encode(arg), null, context).thenApplyAsync(bytes -> codec.decode(bytes, replyType), executor);
    }

    /**
     * Calls a remote with a context and waits for the answer.
     * @param context the context (keys, deadline)
     * @param route {@code serverType.remote.method}
     * @param arg the argument
     * @param replyType the answer's type
     * @param <T> the answer's type
     * @return the answer
     * @throws io.pitaya.PitayaException the remote's error, PIT-408 past the deadline
     */
    public <T> T rpc(PitayaContext context, String route, Object arg, Class<T> replyType) {
        return codec.decode(await(remoteCalls.call(null, route, codec.encode(arg), null, context)), replyType);
    }

    /**
     * Calls a remote and waits for the answer (fine on virtual threads and in handlers).
     * @param route {@code serverType.remote.method}
     * @param arg the argument
     * @param replyType the answer's type
     * @param <T> the answer's type
     * @return the answer
     * @throws io.pitaya.PitayaException the remote's error, PIT-408 on timeout
     */
    public <T> T rpc(String route, Object arg, Class<T> replyType) {
        return rpcTo(null, route, arg, replyType);
    }

    /**
     * Calls a remote on one server and waits for the answer.
     * @param serverId the server
     * @param route {@code serverType.remote.method}
     * @param arg the argument
     * @param replyType the answer's type
     * @param <T> the answer's type
     * @return the answer
     * @throws io.pitaya.PitayaException the remote's error, PIT-408 on timeout
     */
    public <T> T rpcTo(String serverId, String route, Object arg, Class<T> replyType) {
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

    /** @return the groups of this server */
    public GroupService groups() {
        return groups;
    }
}
