package io.pitaya.spring.internal.docs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import com.google.protobuf.ByteString;
import io.pitaya.ErrorCodes;
import io.pitaya.PitayaException;
import io.pitaya.protocol.proto.PitayaProto.Doc;
import io.pitaya.protocol.proto.PitayaProto.ProtoDescriptors;
import io.pitaya.protocol.proto.PitayaProto.ProtoNames;
import io.pitaya.spring.Pitaya;
import io.pitaya.spring.cluster.ServerInfo;
import io.pitaya.spring.cluster.ServiceDiscovery;
import io.pitaya.spring.internal.component.HandlerMethod;
import io.pitaya.spring.internal.component.HandlerRegistry;
import io.pitaya.spring.internal.component.RemoteRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.function.SingletonSupplier;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The documentation of this server and, in a cluster, of one server of every other type (asked through
 * the {@link DocsRemote} of each), and the protobuf descriptors behind it: what {@link DocsHandler} serves to
 * pitaya's tools and the Actuator endpoint shows.
 */
public class PitayaDocs {

    private static final Log logger = LogFactory.getLog(PitayaDocs.class);
    private static final TypeReference<Map<String, Object>> DOC = new TypeReference<>() { };

    private final String serverType;
    private final Pitaya pitaya;
    private final ServiceDiscovery discovery;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Supplier<Map<String, Object>> local;
    private final Supplier<ProtoDescriptorIndex> index;
    private final Supplier<String> remoteComponent;

    /**
     * @param pitaya this server: its type, and its RPC to the others
     * @param handlers this server's handlers, complete once the context has started
     * @param remotes this server's remotes, complete once the context has started
     * @param discovery the cluster's servers, {@code null} when standalone
     */
    public PitayaDocs(Pitaya pitaya, HandlerRegistry handlers, RemoteRegistry remotes, @Nullable ServiceDiscovery discovery) {
        this.serverType = pitaya.serverType();
        this.pitaya = pitaya;
        this.discovery = discovery;
        // The registries are filled once every singleton exists, and read-only after: computed on first use.
        this.local = SingletonSupplier.of(() -> Documentation.of(serverType, handlers, remotes));
        this.index = SingletonSupplier.of(() -> {
            List<HandlerMethod> methods = new ArrayList<>(handlers.all());
            methods.addAll(remotes.all());
            return ProtoDescriptorIndex.of(methods);
        });
        this.remoteComponent = SingletonSupplier.of(() -> remotes.all().stream()
                .filter(method -> method.bean() instanceof DocsRemote)
                .map(method -> method.name().substring(0, method.name().indexOf('.')))
                .findFirst().orElse(null));
    }

    /** @return this server's documentation */
    public Map<String, Object> local() {
        return local.get();
    }

    /** @return this server's documentation as JSON */
    public String localJson() {
        return json.writeValueAsString(local());
    }

    /**
     * @return this server's documentation merged with that of one server of every other type; a type that does
     *         not answer within the RPC timeout is left out (and logged)
     */
    public CompletableFuture<Map<String, Object>> cluster() {
        List<CompletableFuture<Map<String, Object>>> others = new ArrayList<>();
        for (String type : otherTypes()) {
            others.add(pitaya.rpcAsync(type + "." + remoteComponent.get() + ".docs", Doc.getDefaultInstance(), Doc.class)
                    .thenApply(doc -> json.readValue(doc.getDoc(), DOC))
                    .exceptionally(error -> {
                        logger.warn("documentation of server type " + type + " left out: " + error.getMessage());
                        return Map.of();
                    }));
        }
        return CompletableFuture.allOf(others.toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, Object> merged = new LinkedHashMap<>();
            Map<String, Object> handlers = new TreeMap<>(section(local(), "handlers"));
            Map<String, Object> remotes = new TreeMap<>(section(local(), "remotes"));
            for (CompletableFuture<Map<String, Object>> other : others) {
                handlers.putAll(section(other.join(), "handlers"));
                remotes.putAll(section(other.join(), "remotes"));
            }
            merged.put("handlers", handlers);
            merged.put("remotes", remotes);
            return merged;
        });
    }

    /**
     * @param map a documentation
     * @return it as JSON
     */
    public String toJson(Map<String, Object> map) {
        return json.writeValueAsString(map);
    }

    /**
     * The descriptors of the names asked, in their order: from this server, else from the other server types.
     * @param names message or enum full names, or .proto file names
     * @return the gzipped FileDescriptorProtos, one per name
     * @throws PitayaException (in the future) PIT-404 naming what no server knows
     */
    public CompletableFuture<ProtoDescriptors> descriptors(ProtoNames names) {
        List<ByteString> found = localDescriptors(names.getNameList());
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            if (found.get(i).isEmpty()) {
                missing.add(names.getName(i));
            }
        }
        if (missing.isEmpty()) {
            return CompletableFuture.completedFuture(ProtoDescriptors.newBuilder().addAllDesc(found).build());
        }
        ProtoNames ask = ProtoNames.newBuilder().addAllName(missing).build();
        List<CompletableFuture<ProtoDescriptors>> answers = new ArrayList<>();
        for (String type : otherTypes()) {
            answers.add(pitaya.rpcAsync(type + "." + remoteComponent.get() + ".descriptors", ask, ProtoDescriptors.class)
                    .exceptionally(error -> ProtoDescriptors.getDefaultInstance()));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<ByteString> result = new ArrayList<>(found);
            for (CompletableFuture<ProtoDescriptors> answer : answers) {
                // Each answer is aligned with 'missing', empty where that server does not know the name.
                List<ByteString> theirs = answer.join().getDescList();
                for (int j = 0; j < Math.min(theirs.size(), missing.size()); j++) {
                    for (int i = 0; i < result.size(); i++) {
                        if (result.get(i).isEmpty() && names.getName(i).equals(missing.get(j))) {
                            result.set(i, theirs.get(j));
                        }
                    }
                }
            }
            List<String> unknown = new ArrayList<>();
            for (int i = 0; i < result.size(); i++) {
                if (result.get(i).isEmpty()) {
                    unknown.add(names.getName(i));
                }
            }
            if (!unknown.isEmpty()) {
                throw new PitayaException(ErrorCodes.NOT_FOUND, "no protobuf descriptor for " + unknown);
            }
            return ProtoDescriptors.newBuilder().addAllDesc(result).build();
        });
    }

    /**
     * @param names message or enum full names, or .proto file names
     * @return per name, the gzipped FileDescriptorProto when this server knows it, else empty
     */
    public List<ByteString> localDescriptors(List<String> names) {
        List<ByteString> found = new ArrayList<>(names.size());
        for (String name : names) {
            found.add(index.get().gzippedFile(name).map(ByteString::copyFrom).orElse(ByteString.EMPTY));
        }
        return found;
    }

    private List<String> otherTypes() {
        if (discovery == null || remoteComponent.get() == null) {
            return List.of();
        }
        TreeSet<String> types = new TreeSet<>();
        for (ServerInfo server : discovery.all()) {
            types.add(server.type());
        }
        types.remove(serverType);
        return List.copyOf(types);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> doc, String name) {
        return doc.get(name) instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
