package io.pitaya.samples.tadpole;

import io.pitaya.spring.component.PitayaComponent;
import io.pitaya.spring.component.PitayaMethod;
import io.pitaya.spring.session.Session;

/** nano's tadpole {@code Manager}: route {@code Manager.Login}, a guest login that binds the session to its id. */
@PitayaComponent("Manager")
public class Manager {

    /** nano's {@code LoginStatusSucc}. */
    static final int LOGIN_OK = 1;

    /**
     * Logs a guest in: its uid is its session id (a real game would check the credentials).
     * @param session the guest's session
     * @param request the credentials, unchecked here
     * @return status 1 and the id
     */
    @PitayaMethod("Login")
    public LoginResponse login(Session session, LoginRequest request) {
        session.bind(String.valueOf(session.id()));
        return new LoginResponse(LOGIN_OK, session.id(), "");
    }

    /** What the page sends to log in. */
    public record LoginRequest(String username, String cipher, long timestamp) {
    }

    /** The answer: {@code status} 1 when logged in, the guest's {@code id}, or an {@code error}. */
    public record LoginResponse(int status, long id, String error) {
    }
}
