package io.pitaya.spring.group;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Named groups of users (by uid) for broadcasts, like pitaya's groups. Thread-safe.
 */
public interface GroupService {

    /**
     * Creates a group; creating an existing group changes nothing.
     * @param name the group name
     */
    void create(String name);

    /**
     * Creates a group that is deleted once it has not been used (members added or removed, broadcast)
     * for the given time.
     * @param name the group name
     * @param ttl how long the group lives unused
     */
    void create(String name, Duration ttl);

    /**
     * @param name a group name
     * @return true when the group exists
     */
    boolean exists(String name);

    /**
     * Adds a member.
     * @param name the group name
     * @param uid the member's uid
     * @return false when the uid already was a member
     * @throws io.pitaya.PitayaException PIT-404 when the group does not exist
     */
    boolean add(String name, String uid);

    /**
     * Removes a member.
     * @param name the group name
     * @param uid the member's uid
     * @return false when the uid was not a member
     * @throws io.pitaya.PitayaException PIT-404 when the group does not exist
     */
    boolean remove(String name, String uid);

    /**
     * Removes every member; the group stays.
     * @param name the group name
     */
    void removeAll(String name);

    /**
     * @param name the group name
     * @return the members' uids, in the order they joined
     * @throws io.pitaya.PitayaException PIT-404 when the group does not exist
     */
    List<String> members(String name);

    /**
     * @param name the group name
     * @return how many members the group has
     * @throws io.pitaya.PitayaException PIT-404 when the group does not exist
     */
    int count(String name);

    /**
     * @param name the group name
     * @param uid a uid
     * @return true when the uid is a member
     * @throws io.pitaya.PitayaException PIT-404 when the group does not exist
     */
    boolean contains(String name, String uid);

    /**
     * Pushes one message to every member; the payload is serialized once.
     * @param name the group name
     * @param route the push route
     * @param payload the payload, {@code byte[]} for a raw body
     * @return the uids of members that could not be reached
     * @throws io.pitaya.PitayaException PIT-404 when the group does not exist
     */
    List<String> broadcast(String name, String route, Object payload);

    /**
     * Pushes one message to every member connected to a frontend of the given type (pitaya's
     * {@code GroupBroadcast}); the payload is serialized once.
     * @param frontendType the type of frontend holding the members, {@code null} for any
     * @param name the group name
     * @param route the push route
     * @param payload the payload, {@code byte[]} for a raw body
     * @return the uids of members that could not be reached
     * @throws io.pitaya.PitayaException PIT-404 when the group does not exist
     */
    List<String> broadcast(@Nullable String frontendType, String name, String route, Object payload);

    /**
     * Deletes a group and its membership.
     * @param name the group name
     */
    void delete(String name);
}
