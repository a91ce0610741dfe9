package io.pitaya.spring.internal.cluster.zookeeper;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CuratorShutdownTests {

    @Test
    void aClientThatDoesNotCloseDoesNotHoldTheStop() {
        CountDownLatch closeCalled = new CountDownLatch(1);
        CuratorFramework stuck = (CuratorFramework) Proxy.newProxyInstance(CuratorFramework.class.getClassLoader(),
                new Class<?>[] {CuratorFramework.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        closeCalled.countDown();
                        Thread.sleep(60_000); // retrying against a ZooKeeper that is gone
                    }
                    return null;
                });
        CuratorShutdown shutdown = new CuratorShutdown(stuck, Duration.ofMillis(300));
        shutdown.start();

        long started = System.nanoTime();
        shutdown.stop();

        assertThat(closeCalled.getCount()).as("close was asked").isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(shutdown.isRunning()).isFalse();
    }
}
