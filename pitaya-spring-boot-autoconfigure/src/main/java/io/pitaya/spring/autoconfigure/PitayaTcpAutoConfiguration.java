package io.pitaya.spring.autoconfigure;

import io.netty.bootstrap.ServerBootstrap;
import io.pitaya.spring.acceptor.ConnectionManager;
import io.pitaya.spring.acceptor.tcp.TcpAcceptor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The TCP acceptor (Netty), on frontends with {@code pitaya.acceptor.tcp.enabled} (default true). */
@AutoConfiguration(after = PitayaAutoConfiguration.class)
@ConditionalOnClass(ServerBootstrap.class)
@ConditionalOnPitayaAcceptor("tcp")
public final class PitayaTcpAutoConfiguration {

    @Bean(destroyMethod = "shutdown")
    @ConditionalOnMissingBean
    TcpAcceptor pitayaTcpAcceptor(PitayaProperties properties, ConnectionManager connections) {
        PitayaProperties.Acceptor acceptor = properties.getAcceptor();
        return new TcpAcceptor(connections, acceptor.getTcp().getHost(), acceptor.getTcp().getPort(),
                (int) acceptor.getMaxPacketSize().toBytes(), (int) acceptor.getOutboundBufferLimit().toBytes());
    }
}
