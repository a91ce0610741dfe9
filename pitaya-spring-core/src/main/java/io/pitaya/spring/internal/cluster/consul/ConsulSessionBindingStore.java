package io.pitaya.spring.internal.cluster.consul;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import io.pitaya.spring.cluster.SessionBindingStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.UnknownContentTypeException;
import org.springframework.web.service.invoker.HttpExchangeAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;
import org.springframework.web.util.UriUtils;

/**
 * Bindings in Consul's KV store: key {@code <prefix><uid>} (default {@code pitaya/bindings/<uid>}), value the id of the frontend that
 * holds the uid. A bind reads the key and writes it with check-and-set on the modify index it read,
 * retrying when another frontend wrote in between, so it returns exactly the binding it replaced (the
 * newest session wins). An unbind deletes with check-and-set too, so it never removes a binding that
 * another frontend wrote in between.
 * <p>
 * When Consul cannot be reached or refuses, a lookup answers "unknown" and a bind or unbind is skipped,
 * with a warning: pushes and kicks then go to every frontend of the type, and an older session of the
 * uid on another frontend is not kicked.
 */
public class ConsulSessionBindingStore implements SessionBindingStore {

    /** Default prefix of the keys. */
    public static final String PREFIX = "pitaya/bindings/";

    /** Check-and-set rounds a bind tries before giving up on a key that keeps changing. */
    static final int MAX_ATTEMPTS = 8;

    private static final Log logger = LogFactory.getLog(ConsulSessionBindingStore.class);

    private final ConsulKeyValues kv;
    private final String aclToken;
    private final String prefix;

    /**
     * @param consul reaches the Consul agent, e.g. the adapter of Spring Cloud's Consul client settings
     * @param aclToken the ACL token, or {@code null}
     * @param prefix prefix of the keys, so that clusters sharing a Consul keep apart (ends with '/')
     */
    public ConsulSessionBindingStore(HttpExchangeAdapter consul, @Nullable String aclToken, String prefix) {
        this.kv = HttpServiceProxyFactory.builderFor(consul).build().createClient(ConsulKeyValues.class);
        this.aclToken = aclToken;
        this.prefix = prefix.endsWith("/") ? prefix : prefix + "/";
    }

    /**
     * @param consul reaches the Consul agent
     * @param aclToken the ACL token, or {@code null}
     */
    public ConsulSessionBindingStore(HttpExchangeAdapter consul, @Nullable String aclToken) {
        this(consul, aclToken, PREFIX);
    }

    @Override
    public String bind(String uid, String frontendId) {
        try {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                ConsulKeyValues.Entry entry = read(uid);
                // Written only if nobody wrote the key since the read (index 0: only if it is absent).
                ResponseEntity<Boolean> response = kv.put(key(uid), frontendId, entry == null ? 0 : entry.modifyIndex(), aclToken);
                if (Boolean.TRUE.equals(response.getBody())) {
                    return entry == null ? null : value(entry);
                }
                if (!response.getStatusCode().is2xxSuccessful()) {
                    logger.warn("binding of uid " + uid + " to frontend " + frontendId + " not stored: Consul answered "
                            + response.getStatusCode());
                    return null;
                }
            }
            logger.warn("binding of uid " + uid + " to frontend " + frontendId + " not stored: the key changed "
                    + MAX_ATTEMPTS + " times while binding");
        } catch (RuntimeException e) {
            logger.warn("binding of uid " + uid + " to frontend " + frontendId + " not stored: " + reason(e));
        }
        return null;
    }

    @Override
    public String frontendOf(String uid) {
        try {
            ConsulKeyValues.Entry entry = read(uid);
            return entry != null ? value(entry) : null;
        } catch (RuntimeException e) {
            logger.warn("binding of uid " + uid + " unknown: " + reason(e));
            return null;
        }
    }

    @Override
    public void unbind(String uid, String frontendId) {
        try {
            ConsulKeyValues.Entry entry = read(uid);
            if (entry == null || !frontendId.equals(value(entry))) {
                return;
            }
            // false: the uid was bound again since the read; that binding stays.
            kv.delete(key(uid), entry.modifyIndex(), aclToken);
        } catch (RuntimeException e) {
            logger.warn("binding of uid " + uid + " to frontend " + frontendId + " not removed: " + reason(e));
        }
    }

    private ConsulKeyValues.Entry read(String uid) {
        ResponseEntity<List<ConsulKeyValues.Entry>> response = kv.get(key(uid), aclToken);
        if (response.getStatusCode().value() == 404) {
            return null;
        }
        if (!response.getStatusCode().is2xxSuccessful()) {
            throw new IllegalStateException("Consul answered " + response.getStatusCode());
        }
        List<ConsulKeyValues.Entry> entries = response.getBody();
        return entries == null || entries.isEmpty() ? null : entries.get(0);
    }

    private static String reason(RuntimeException e) {
        if (e instanceof UnknownContentTypeException answer) {
            // Consul's errors are plain text ("Permission denied"), not the JSON asked for.
            return "Consul answered " + answer.getStatusCode() + " " + answer.getResponseBodyAsString().trim();
        }
        if (e instanceof ResourceAccessException) {
            return "Consul not reached (" + NestedExceptionUtils.getMostSpecificCause(e) + ")";
        }
        return e.getMessage();
    }

    private static String value(ConsulKeyValues.Entry entry) {
        return entry.value() == null ? null : new String(Base64.getDecoder().decode(entry.value()), StandardCharsets.UTF_8);
    }

    private String key(String uid) {
        return prefix + UriUtils.encodePathSegment(uid, StandardCharsets.UTF_8);
    }
}
