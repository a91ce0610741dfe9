package io.pitaya.spring.internal.docs;

import io.pitaya.protocol.proto.PitayaProto.Doc;
import io.pitaya.protocol.proto.PitayaProto.ProtoDescriptors;
import io.pitaya.protocol.proto.PitayaProto.ProtoNames;
import io.pitaya.spring.component.PitayaRemote;

/**
 * What a server answers other servers about its own routes, so that a frontend's {@link DocsHandler}
 * documents the whole cluster: this server's documentation, and the descriptors it knows.
 */
@PitayaRemote("${pitaya.docs.remote:}")
public class DocsRemote {

    private final PitayaDocs docs;

    /** @param docs what is documented */
    public DocsRemote(PitayaDocs docs) {
        this.docs = docs;
    }

    /** @return this server's documentation (not the cluster's) */
    public Doc docs() {
        return Doc.newBuilder().setDoc(docs.localJson()).build();
    }

    /**
     * @param names names to look up
     * @return per name, the gzipped descriptor when this server knows it, else empty bytes
     */
    public ProtoDescriptors descriptors(ProtoNames names) {
        return ProtoDescriptors.newBuilder().addAllDesc(docs.localDescriptors(names.getNameList())).build();
    }
}
