package io.meshcp.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay in front of the test Redis that can cut one instance off and let it back: while cut, every
 * connection through it is closed and new ones are closed as soon as they are accepted, as when Redis is down
 * or unreachable for that instance only.
 */
public final class RedisProxy implements AutoCloseable {

    private final ServerSocket server;

    private final InetSocketAddress redis;

    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    private volatile boolean cut;

    public RedisProxy(String redisUrl) throws IOException {
        URI uri = URI.create(redisUrl);
        redis = new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
        server = new ServerSocket(0);
        Thread.ofVirtual().name("redis-proxy").start(this::accept);
    }

    /** The URL to give an instance instead of Redis's own. */
    public String url() {
        return "redis://127.0.0.1:" + server.getLocalPort();
    }

    public void cut() {
        cut = true;
        sockets.forEach(RedisProxy::closeQuietly);
    }

    public void restore() {
        cut = false;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket(redis.getAddress(), redis.getPort());
                sockets.add(client);
                sockets.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            }
            catch (IOException e) {
                // The server socket closed, or Redis refused one connection; the client sees it closed either way.
            }
        }
    }

    private void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        }
        catch (IOException e) {
            // One side closed.
        }
        finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        }
        catch (IOException e) {
            // Already closed.
        }
    }

    @Override
    public void close() throws IOException {
        cut();
        server.close();
    }
}
