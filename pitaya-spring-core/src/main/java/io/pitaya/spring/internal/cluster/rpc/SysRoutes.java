package io.pitaya.spring.internal.cluster.rpc;

/** The built-in remotes every frontend serves to backends. */
public final class SysRoutes {

    /** Session(id, uid): binds the uid to the frontend's session. */
    public static final String BIND_SESSION = "sys.bindsession";
    /** Session(id, uid, data): replaces the frontend session's data. */
    public static final String PUSH_SESSION = "sys.pushsession";
    /** KickMsg(userId): kicks the user, answers KickAnswer. */
    public static final String KICK = "sys.kick";
    /** Push(route, uid, data): pushes to the user (or to the session of the request). */
    public static final String PUSH = "sys.push";

    /**
     * PushBatch(route, data, uids): pushes to those of the uids this frontend holds, answers PushBatchAnswer (how
     * many). Served by frontends whose metadata has {@link #PUSH_BATCH_METADATA}.
     */
    public static final String PUSH_BATCH = "sys.pushbatch";
    /** Key of a frontend's metadata, set to "1" when it serves {@link #PUSH_BATCH}. */
    public static final String PUSH_BATCH_METADATA = "pitaya-push-batch";

    private SysRoutes() {
    }
}
