package io.pitaya.spring.internal.cluster.zookeeper;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;

/** A real ZooKeeper server for a test class, and the clients its tests open, closed and cleared after each test. */
final class TestZookeeper implements AutoCloseable {

    private final TestingServer server;
    private final List<CuratorFramework> clients = new CopyOnWriteArrayList<>();

    TestZookeeper() throws Exception {
        server = new TestingServer(true);
    }

    /** @return a connected client of its own (a server of the cluster has one) */
    CuratorFramework client() {
        CuratorFramework client = CuratorFrameworkFactory.newClient(server.getConnectString(), 10_000, 5_000, new RetryOneTime(100));
        client.start();
        clients.add(client);
        try {
            client.blockUntilConnected();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return client;
    }

    /** @return a started client of a ZooKeeper that is not there */
    CuratorFramework unconnected() {
        CuratorFramework client = CuratorFrameworkFactory.newClient("127.0.0.1:1", 60_000, 60_000, new RetryOneTime(100));
        client.start();
        clients.add(client);
        return client;
    }

    /**
     * Closes the clients of the test that ended and deletes what it left under a node.
     * @param root the node
     */
    void reset(String root) throws Exception {
        clients.forEach(CuratorFramework::close);
        clients.clear();
        try (CuratorFramework admin = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100))) {
            admin.start();
            admin.blockUntilConnected();
            if (admin.checkExists().forPath(root) != null) {
                admin.delete().deletingChildrenIfNeeded().forPath(root);
            }
        }
    }

    @Override
    public void close() throws Exception {
        clients.forEach(CuratorFramework::close);
        server.close();
    }
}
