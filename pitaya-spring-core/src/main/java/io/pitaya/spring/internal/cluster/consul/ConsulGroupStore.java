package io.pitaya.spring.internal.cluster.consul;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.spring.group.GroupStore;
import io.pitaya.spring.internal.cluster.group.GroupRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.UnknownContentTypeException;
import org.springframework.web.service.invoker.HttpExchangeAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/**
 * Groups in Consul's KV store. The group's record (generation, TTL, expiry) is the key {@code <prefix><name>} (default
 * {@code pitaya/groups/<name>}); each member is the key {@code <prefix><name>/<generation>/<uid>}.
 * <ul>
 * <li>An add reads the record and creates the member's key only if absent (check-and-set on index 0): two servers
 * adding members at once both succeed, each member a key of its own.</li>
 * <li>Members live under the record's generation: an add that loses a race with a delete or a {@code removeAll}
 * (which gives the record a new generation) lands under a generation nobody reads, and the sweep removes it, so a
 * deleted or emptied group never shows a member added before it was.</li>
 * <li>The record is written with check-and-set on the index read, so a renewal, an emptying and a deletion never undo
 * one another.</li>
 * </ul>
 * Names and uids are escaped as {@link GroupRecord#segment key segments}, which Consul, URLs and path cleaning leave
 * alone. A Consul that cannot be reached or refuses makes the operation fail with PIT-500, saying so.
 */
public class ConsulGroupStore implements GroupStore {

    /** Default prefix of the keys. */
    public static final String PREFIX = "pitaya/groups/";

    /** Check-and-set rounds a write tries while another server changes the same record. */
    static final int MAX_ATTEMPTS = 8;

    private final ConsulKeyValues kv;
    private final String aclToken;
    private final String prefix;

    /**
     * @param consul reaches the Consul agent, e.g. the adapter of Spring Cloud's Consul client settings
     * @param aclToken the ACL token, or {@code null}
     * @param prefix prefix of the keys, so that clusters sharing a Consul keep apart (ends with '/')
     */
    public ConsulGroupStore(HttpExchangeAdapter consul, @Nullable String aclToken, String prefix) {
        this.kv = HttpServiceProxyFactory.builderFor(consul).build().createClient(ConsulKeyValues.class);
        this.aclToken = aclToken;
        this.prefix = prefix.endsWith("/") ? prefix : prefix + "/";
    }

    @Override
    public boolean create(String name, Duration ttl) {
        return call("create group " + name, () -> {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                ConsulKeyValues.Entry entry = read(groupKey(name));
                GroupRecord current = entry == null ? null : GroupRecord.parse(value(entry));
                if (current != null && !current.expired(System.currentTimeMillis())) {
                    return false;
                }
                // Absent (index 0), or expired and not yet swept: replaced, its members left to the sweep.
                if (put(groupKey(name), GroupRecord.created(ttl).format(), entry == null ? 0 : entry.modifyIndex())) {
                    if (current != null) {
                        deleteTree(membersOf(name, current));
                    }
                    return true;
                }
            }
            throw changing(name);
        });
    }

    @Override
    public boolean exists(String name) {
        return call("read group " + name, () -> live(name) != null);
    }

    @Override
    public boolean add(String name, String uid) {
        return call("add " + uid + " to group " + name, () -> put(membersOf(name, require(name)) + GroupRecord.segment(uid), "", 0));
    }

    @Override
    public boolean remove(String name, String uid) {
        return call("remove " + uid + " from group " + name, () -> {
            String key = membersOf(name, require(name)) + GroupRecord.segment(uid);
            ConsulKeyValues.Entry member = read(key);
            return member != null && Boolean.TRUE.equals(check(kv.delete(key, member.modifyIndex(), aclToken)).getBody());
        });
    }

    @Override
    public void removeAll(String name) {
        call("empty group " + name, () -> {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                ConsulKeyValues.Entry entry = read(groupKey(name));
                GroupRecord current = entry == null ? null : GroupRecord.parse(value(entry));
                if (current == null || current.expired(System.currentTimeMillis())) {
                    throw notFound(name);
                }
                if (put(groupKey(name), current.emptied().format(), entry.modifyIndex())) {
                    deleteTree(membersOf(name, current));
                    return null;
                }
            }
            throw changing(name);
        });
    }

    @Override
    public List<String> members(String name) {
        return call("read group " + name, () -> {
            String members = membersOf(name, require(name));
            List<String> uids = new ArrayList<>();
            for (String key : keys(members, null)) {
                uids.add(GroupRecord.unsegment(key.substring(members.length())));
            }
            uids.sort(null);
            return uids;
        });
    }

    @Override
    public int count(String name) {
        return call("read group " + name, () -> keys(membersOf(name, require(name)), null).size());
    }

    @Override
    public boolean contains(String name, String uid) {
        return call("read group " + name, () -> read(membersOf(name, require(name)) + GroupRecord.segment(uid)) != null);
    }

    @Override
    public boolean delete(String name) {
        return call("delete group " + name, () -> {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                ConsulKeyValues.Entry entry = read(groupKey(name));
                if (entry == null) {
                    return false;
                }
                GroupRecord current = GroupRecord.parse(value(entry));
                if (Boolean.TRUE.equals(check(kv.delete(groupKey(name), entry.modifyIndex(), aclToken)).getBody())) {
                    deleteTree(groupKey(name) + "/");
                    return current != null && !current.expired(System.currentTimeMillis());
                }
            }
            throw changing(name);
        });
    }

    /**
     * Removes the groups past their TTL, and the members of generations no record names (a group deleted or
     * emptied while they were being added): one read per group, one listing per group with members.
     */
    @Override
    public int sweep() {
        return call("sweep groups", () -> {
            int removed = 0;
            List<String> listed = keys(prefix, "/");
            for (String key : listed) {
                if (key.endsWith("/")) {
                    continue;
                }
                ConsulKeyValues.Entry entry = read(key);
                GroupRecord record = entry == null ? null : GroupRecord.parse(value(entry));
                if (record != null && record.expired(System.currentTimeMillis())
                        && Boolean.TRUE.equals(check(kv.delete(key, entry.modifyIndex(), aclToken)).getBody())) {
                    deleteTree(key + "/");
                    removed++;
                    continue;
                }
                if (listed.contains(key + "/")) {
                    for (String generation : keys(key + "/", "/")) {
                        if (record == null || !generation.equals(key + "/" + record.generation() + "/")) {
                            deleteTree(generation);
                        }
                    }
                }
            }
            for (String folder : listed) {
                if (folder.endsWith("/") && !listed.contains(folder.substring(0, folder.length() - 1))) {
                    deleteTree(folder); // members of a group whose record is gone
                }
            }
            return removed;
        });
    }

    /** @return the group's record, renewed when due, or {@code null} when there is no such group (or it expired) */
    private @Nullable GroupRecord live(String name) {
        ConsulKeyValues.Entry entry = read(groupKey(name));
        GroupRecord record = entry == null ? null : GroupRecord.parse(value(entry));
        long now = System.currentTimeMillis();
        if (record == null || record.expired(now)) {
            return null;
        }
        if (record.dueForRenewal(now)) {
            put(groupKey(name), record.renewed(now).format(), entry.modifyIndex()); // false: renewed by another server
        }
        return record;
    }

    private GroupRecord require(String name) {
        GroupRecord record = live(name);
        if (record == null) {
            throw notFound(name);
        }
        return record;
    }

    private ConsulKeyValues.Entry read(String key) {
        ResponseEntity<List<ConsulKeyValues.Entry>> response = kv.get(key, aclToken);
        if (response.getStatusCode().value() == 404) {
            return null;
        }
        List<ConsulKeyValues.Entry> entries = check(response).getBody();
        return entries == null || entries.isEmpty() ? null : entries.get(0);
    }

    private List<String> keys(String keyPrefix, String separator) {
        ResponseEntity<List<String>> response = kv.keys(keyPrefix, true, separator, aclToken);
        if (response.getStatusCode().value() == 404) {
            return List.of();
        }
        List<String> keys = check(response).getBody();
        return keys == null ? List.of() : keys;
    }

    private boolean put(String key, String value, long cas) {
        return Boolean.TRUE.equals(check(kv.put(key, value, cas, aclToken)).getBody());
    }

    private void deleteTree(String keyPrefix) {
        check(kv.deleteTree(keyPrefix, true, aclToken));
    }

    private static <T> ResponseEntity<T> check(ResponseEntity<T> response) {
        if (!response.getStatusCode().is2xxSuccessful()) {
            throw new IllegalStateException("Consul answered " + response.getStatusCode());
        }
        return response;
    }

    private String groupKey(String name) {
        return prefix + GroupRecord.segment(name);
    }

    private String membersOf(String name, GroupRecord record) {
        return groupKey(name) + "/" + record.generation() + "/";
    }

    private static String value(ConsulKeyValues.Entry entry) {
        return entry.value() == null ? "" : new String(Base64.getDecoder().decode(entry.value()), StandardCharsets.UTF_8);
    }

    private static PitayaException notFound(String name) {
        return new PitayaException(ErrorCodes.NOT_FOUND, "group " + name + " not found");
    }

    private static PitayaException changing(String name) {
        return new PitayaException(ErrorCodes.INTERNAL, "group " + name + " kept changing under " + MAX_ATTEMPTS + " attempts");
    }

    private static <T> T call(String what, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (PitayaException e) {
            throw e;
        } catch (UnknownContentTypeException e) {
            // Consul's errors are plain text ("Permission denied"), not the JSON asked for.
            throw new PitayaException(ErrorCodes.INTERNAL, what + " failed: Consul answered " + e.getStatusCode() + " "
                    + e.getResponseBodyAsString().trim());
        } catch (ResourceAccessException e) {
            throw new PitayaException(ErrorCodes.INTERNAL, what + " failed: Consul not reached ("
                    + NestedExceptionUtils.getMostSpecificCause(e) + ")");
        } catch (RuntimeException e) {
            throw new PitayaException(ErrorCodes.INTERNAL, what + " failed: " + e.getMessage());
        }
    }
}
