package io.pitaya.spring;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.pitaya.spring.group.GroupService;
import io.pitaya.spring.session.Session;
import org.jspecify.annotations.Nullable;

/**
 * The application's handle on the server: sessions, pushes and kicks to users, remote calls, groups. Inject it
 * where needed.
 */
public interface Pitaya {

    /**
     * Calls a remote reliably, as a durable job (pitaya's {@code ReliableRPC}): the call is written to Kafka and runs on
     * one server of the route's type, now or once one is up, retried with backoff when it fails or times out, and sent
     * to a dead-letter topic with its error after the last attempt ({@code pitaya.cluster.jobs.*}). No answer comes back.
     * <p>
     * At least once: the remote may run more than once. It reads the job id, its idempotency key, with
     * {@code PitayaContext.current().get(PitayaContext.JOB_ID)} and skips a job it has done already.
     * @param jobId the job's id: the same id for the same piece of work (e.g. {@code "reward:" + matchId + ":" + uid}),
     *        so that a caller that submits again after a crash does not do it twice
     * @param route {@code serverType.remote.method}
     * @param arg the argument: a protobuf message, {@code byte[]} or an object for the serializer
     * @return the job id once Kafka has durably accepted the job; failed (PIT-500) if it did not
     */
    CompletableFuture<String> reliableRpc(String jobId, String route, Object arg);

    /**
     * {@link #reliableRpc(String, String, Object)} with a random job id.
     * @param route {@code serverType.remote.method}
     * @param arg the argument
     * @return the job id once Kafka has durably accepted the job
     */
    CompletableFuture<String> reliableRpc(String route, Object arg);

    /** @return this server's id */
    String serverId();

    /** @return this server's type */
    String serverType();

    /**
     * @param id a session id
     * @return the open session, or {@code null}
     */
    @Nullable Session session(long id);

    /**
     * @param uid a user id
     * @return the open session bound to the uid, or {@code null}
     */
    @Nullable Session sessionByUid(String uid);

    /** @return how many sessions are open on this server */
    int sessionCount();

    /**
     * Pushes one message to users; the payload is serialized once.
     * @param route the push route
     * @param payload the payload, {@code byte[]} for a raw body
     * @param uids the users
     * @return the uids that could not be reached (in cluster mode: not bound, or bound to a frontend that is gone;
     *         the push to another frontend is sent without waiting for its answer)
     */
    List<String> pushToUsers(String route, Object payload, Collection<String> uids);

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
    List<String> pushToUsers(String route, Object payload, Collection<String> uids, @Nullable String frontendType);

    /**
     * Kicks users: each gets a Kick and is disconnected.
     * @param uids the users
     * @return the uids that were not connected (in cluster mode: not bound, or bound to a frontend that is gone)
     */
    List<String> kickUsers(Collection<String> uids);

    /**
     * Kicks users connected to frontends of a type (pitaya's {@code SendKickToUsers}).
     * @param uids the users
     * @param frontendType the frontend type holding them, {@code null} for any
     * @return the uids that were not connected (in cluster mode: not bound, or bound to a frontend that is gone)
     */
    List<String> kickUsers(Collection<String> uids, @Nullable String frontendType);

    /**
     * Kicks users with a reason: with {@code pitaya.session.kick-route} set, each first gets a push of
     * {@code {code, reason}} on that route (see {@link Session#kick(String, String)}).
     * @param uids the users
     * @param code a code the client can act on, e.g. {@code GAME-BANNED}
     * @param reason words for the player or the logs
     * @return the uids that were not connected (in cluster mode: not bound, or bound to a frontend that is gone)
     */
    List<String> kickUsers(Collection<String> uids, String code, String reason);

    /**
     * Calls a remote on a server of the route's type, chosen at random (pitaya's {@code RPC}).
     * @param route {@code serverType.remote.method}
     * @param arg the argument: a protobuf message (sent as protobuf), {@code byte[]} (raw) or an object for the serializer
     * @param replyType the answer's type
     * @param <T> the answer's type
     * @return the answer, or a future failed with a {@link io.pitaya.PitayaException} (PIT-408 on timeout)
     */
    <T> CompletableFuture<T> rpcAsync(String route, Object arg, Class<T> replyType);

    /**
     * Calls a remote on one server (pitaya's {@code RPCTo}).
     * @param serverId the server, {@code null} for any of the route's type
     * @param route {@code serverType.remote.method}
     * @param arg the argument
     * @param replyType the answer's type
     * @param <T> the answer's type
     * @return the answer, or a future failed with a {@link io.pitaya.PitayaException}
     */
    <T> CompletableFuture<T> rpcToAsync(@Nullable String serverId, String route, Object arg, Class<T> replyType);

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
    <T> CompletableFuture<T> rpcAsync(PitayaContext context, String route, Object arg, Class<T> replyType);

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
    <T> CompletableFuture<T> rpcToAsync(PitayaContext context, @Nullable String serverId, String route, Object arg, Class<T> replyType);

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
    <T> T rpc(PitayaContext context, String route, Object arg, Class<T> replyType);

    /**
     * Calls a remote and waits for the answer (fine on virtual threads and in handlers).
     * @param route {@code serverType.remote.method}
     * @param arg the argument
     * @param replyType the answer's type
     * @param <T> the answer's type
     * @return the answer
     * @throws io.pitaya.PitayaException the remote's error, PIT-408 on timeout
     */
    <T> T rpc(String route, Object arg, Class<T> replyType);

    /**
     * Calls a remote on one server and waits for the answer.
     * @param serverId the server, {@code null} for any of the route's type
     * @param route {@code serverType.remote.method}
     * @param arg the argument
     * @param replyType the answer's type
     * @param <T> the answer's type
     * @return the answer
     * @throws io.pitaya.PitayaException the remote's error, PIT-408 on timeout
     */
    <T> T rpcTo(@Nullable String serverId, String route, Object arg, Class<T> replyType);

    /** @return the groups of this server */
    GroupService groups();
}
