package io.pitaya.spring.autoconfigure;

import io.netty.bootstrap.ServerBootstrap;
import io.pitaya.spring.internal.acceptor.ConnectionManager;
import io.pitaya.spring.internal.acceptor.netty.ServerTls;
import io.pitaya.spring.internal.acceptor.tcp.TcpAcceptor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;

/** The TCP acceptor (Netty), on frontends with {@code pitaya.acceptor.tcp.enabled} (default true). */
@AutoConfiguration(after = PitayaAutoConfiguration.class,
        afterName = "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration")
@ConditionalOnClass(ServerBootstrap.class)
@ConditionalOnPitayaAcceptor("tcp")
public final class PitayaTcpAutoConfiguration {

    @Bean(destroyMethod = "shutdown")
    @ConditionalOnMissingBean
    TcpAcceptor pitayaTcpAcceptor(PitayaProperties properties, ConnectionManager connections, ObjectProvider<SslBundles> sslBundles) {
        AcceptorProperties acceptor = properties.getAcceptor();
        ServerTls ssl = SslBundleTls.resolve("pitaya.acceptor.tcp.ssl-bundle", acceptor.getTcp().getSslBundle(), sslBundles);
        TcpAcceptor tcp = new TcpAcceptor(connections, acceptor.getTcp().getHost(), acceptor.getTcp().getPort(),
                (int) acceptor.getOutboundBufferLimit().toBytes(), ssl);
        tcp.setProxyProtocol(acceptor.getTcp().isProxyProtocol());
        return tcp;
    }
}
