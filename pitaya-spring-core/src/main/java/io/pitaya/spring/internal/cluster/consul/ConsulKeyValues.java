package io.pitaya.spring.internal.cluster.consul;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.DeleteExchange;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.PutExchange;

/**
 * The part of Consul's KV API that the bindings need, with what Spring Cloud's {@code ConsulClient}
 * lacks: the modify index of a read, check-and-set writes and deletes, and the ACL token on writes. Keys are passed
 * already encoded. Used through {@link ConsulSessionBindingStore} and {@link ConsulGroupStore}.
 */
public interface ConsulKeyValues {

    /** Consul's ACL token header. */
    String TOKEN = "X-Consul-Token";

    /** Reads a key: one entry, or 404 when there is none. */
    @GetExchange("/v1/kv/{key}")
    ResponseEntity<List<Entry>> get(@PathVariable String key, @RequestHeader(name = TOKEN, required = false) String token);

    /**
     * Writes a key only if its modify index is still {@code cas} ({@code 0}: only if there is no such key);
     * the body says whether it did.
     */
    @PutExchange(url = "/v1/kv/{key}", contentType = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<Boolean> put(@PathVariable String key, @RequestBody String value, @RequestParam("cas") long cas,
                                @RequestHeader(name = TOKEN, required = false) String token);

    /** Deletes the key only if its modify index is still {@code cas}; the body says whether it did. */
    @DeleteExchange("/v1/kv/{key}")
    ResponseEntity<Boolean> delete(@PathVariable String key, @RequestParam("cas") long cas,
                                   @RequestHeader(name = TOKEN, required = false) String token);

    /**
     * Lists the keys that start with a prefix: all of them, or (with a separator) up to the separator's next
     * occurrence, each such "folder" once. 404 when there is none.
     */
    @GetExchange("/v1/kv/{prefix}")
    ResponseEntity<List<String>> keys(@PathVariable String prefix, @RequestParam("keys") boolean keys,
                                      @RequestParam(name = "separator", required = false) String separator,
                                      @RequestHeader(name = TOKEN, required = false) String token);

    /** Deletes every key that starts with the prefix (mind that "a/b" is a prefix of "a/bc"). */
    @DeleteExchange("/v1/kv/{prefix}")
    ResponseEntity<Boolean> deleteTree(@PathVariable String prefix, @RequestParam("recurse") boolean recurse,
                                       @RequestHeader(name = TOKEN, required = false) String token);

    /**
     * One key as Consul returns it.
     *
     * @param key the key
     * @param value the value, base64 encoded; {@code null} for an empty value
     * @param modifyIndex the index of the key's last change
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Entry(@JsonProperty("Key") String key, @JsonProperty("Value") @Nullable String value,
                 @JsonProperty("ModifyIndex") long modifyIndex) {
    }
}
