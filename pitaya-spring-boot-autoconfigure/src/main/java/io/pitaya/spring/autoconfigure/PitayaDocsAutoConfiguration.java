package io.pitaya.spring.autoconfigure;

import io.pitaya.serialize.ProtobufSerializer;
import io.pitaya.serialize.Serializer;
import io.pitaya.spring.Pitaya;
import io.pitaya.spring.cluster.ServiceDiscovery;
import io.pitaya.spring.internal.component.HandlerRegistry;
import io.pitaya.spring.internal.component.RemoteRegistry;
import io.pitaya.spring.internal.docs.DocsHandler;
import io.pitaya.spring.internal.docs.DocsRemote;
import io.pitaya.spring.internal.docs.PitayaDocs;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;

/**
 * pitaya's auto documentation ({@code pitaya.docs.enabled=true}), on every server: the docs handler that
 * pitaya-cli and pitaya's ProtoClient bootstrap from, and the remote through which a frontend's docs handler
 * documents the other server types.
 */
@AutoConfiguration(after = {PitayaAutoConfiguration.class, PitayaClusterAutoConfiguration.class})
@ConditionalOnBooleanProperty("pitaya.docs.enabled")
public final class PitayaDocsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PitayaDocs pitayaDocs(Pitaya pitaya, HandlerRegistry handlers, RemoteRegistry remotes, ObjectProvider<ServiceDiscovery> discovery,
                          Serializer serializer, ResourceLoader resources) {
        // The docs routes answer pitaya's protobuf messages (protos.Doc, protos.ProtoDescriptors), as pitaya does: a JSON
        // server writes them as protobuf's JSON, which needs protobuf-java-util.
        if (!(serializer instanceof ProtobufSerializer)
                && !ClassUtils.isPresent("com.google.protobuf.util.JsonFormat", resources.getClassLoader())) {
            throw new IllegalStateException("pitaya.docs.enabled with the " + serializer.name() + " serializer needs "
                    + "com.google.protobuf:protobuf-java-util on the class path: the docs routes answer protobuf messages, "
                    + "written as protobuf's JSON");
        }
        return new PitayaDocs(pitaya, handlers, remotes, discovery.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    DocsHandler pitayaDocsHandler(PitayaDocs docs) {
        return new DocsHandler(docs);
    }

    @Bean
    @ConditionalOnMissingBean
    DocsRemote pitayaDocsRemote(PitayaDocs docs) {
        return new DocsRemote(docs);
    }
}
