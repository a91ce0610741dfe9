package io.pitaya.spring.internal.docs;

import java.util.concurrent.CompletableFuture;

import io.pitaya.protocol.proto.PitayaProto.Doc;
import io.pitaya.protocol.proto.PitayaProto.ProtoDescriptors;
import io.pitaya.protocol.proto.PitayaProto.ProtoNames;
import io.pitaya.spring.component.PitayaComponent;

/**
 * pitaya's docs handler ({@code pitaya.docs.enabled=true}): at {@code <serverType>.docsHandler.docs} the
 * documentation of every handler and remote of the cluster, at {@code <serverType>.docsHandler.descriptors} the
 * protobuf descriptors of the names asked. pitaya-cli ({@code -docs connector.docsHandler.docs}) and pitaya's
 * {@code ProtoClient} bootstrap from these two routes. The component name follows the server's naming strategy
 * ({@code docshandler} under {@code lowercase}) unless {@code pitaya.docs.component} names it.
 */
@PitayaComponent("${pitaya.docs.component:}")
public class DocsHandler {

    private final PitayaDocs docs;

    /** @param docs what is documented */
    public DocsHandler(PitayaDocs docs) {
        this.docs = docs;
    }

    /** @return the cluster's documentation, as pitaya's {@code protos.Doc} */
    public CompletableFuture<Doc> docs() {
        return docs.cluster().thenApply(map -> Doc.newBuilder().setDoc(docs.toJson(map)).build());
    }

    /**
     * @param names message or enum full names (or .proto file names)
     * @return the gzipped {@code FileDescriptorProto} defining each, in the order asked
     */
    public CompletableFuture<ProtoDescriptors> descriptors(ProtoNames names) {
        return docs.descriptors(names);
    }
}
