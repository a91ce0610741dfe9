package io.pitaya.spring.internal.cluster.consul;

import com.github.tomakehurst.wiremock.WireMockServer;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/** WireMock standing in for a Consul agent's HTTP API. */
final class ConsulStub {

    private ConsulStub() {
    }

    /**
     * @return a started server on a random port, speaking HTTP/1.1 only as Consul does: the JDK client
     *         offers an h2c upgrade, which WireMock would accept and then fail on request bodies
     */
    static WireMockServer start() {
        WireMockServer server = new WireMockServer(options().dynamicPort().http2PlainDisabled(true));
        server.start();
        return server;
    }
}
