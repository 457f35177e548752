package io.meshcp.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP pass-through on a local port that a test can cut and restore, so that a server such as Redis goes away
 * for one client (connections dropped, new ones refused) while it keeps running for everyone else; or stall and
 * resume, so that it stops answering that client for a while without dropping anything.
 */
public final class TcpProxy implements AutoCloseable {

    private final InetSocketAddress target;

    private final int port;

    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    private volatile ServerSocket server;

    private final Object gate = new Object();

    private boolean stalled;

    public TcpProxy(String host, int targetPort) throws IOException {
        this.target = new InetSocketAddress(host, targetPort);
        this.server = listen(0);
        this.port = server.getLocalPort();
        acceptOn(server);
    }

    public int port() {
        return port;
    }

    /** Holds every byte in both directions, on the connections open and new ones, until {@link #resume()}. */
    public void stall() {
        synchronized (gate) {
            stalled = true;
        }
    }

    /** Passes on what was held, in order, and what comes next. */
    public void resume() {
        synchronized (gate) {
            stalled = false;
            gate.notifyAll();
        }
    }

    /** Drops every connection and refuses new ones until {@link #restore()}. */
    public void cut() throws IOException {
        resume();
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    /** Accepts connections again, on the same port. */
    public void restore() throws IOException {
        server = listen(port);
        acceptOn(server);
    }

    @Override
    public void close() throws IOException {
        cut();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
    }

    private void acceptOn(ServerSocket listening) {
        Thread.ofVirtual().name("tcp-proxy-accept").start(() -> {
            while (!listening.isClosed()) {
                Socket client;
                try {
                    client = listening.accept();
                }
                catch (IOException e) {
                    return; // closed by cut()
                }
                Socket upstream = new Socket();
                sockets.add(client);
                sockets.add(upstream);
                try {
                    // Each piece passed on at once, as over a direct connection: with Nagle's algorithm a small write
                    // waits for the peer's delayed acknowledgement, some 40 ms a round trip.
                    client.setTcpNoDelay(true);
                    upstream.setTcpNoDelay(true);
                    upstream.connect(target, 2000);
                }
                catch (IOException e) {
                    closeQuietly(client);
                    closeQuietly(upstream);
                    continue;
                }
                pipe(client, upstream);
                pipe(upstream, client);
            }
        });
    }

    private void pipe(Socket from, Socket to) {
        Thread.ofVirtual().name("tcp-proxy-pipe").start(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                byte[] buffer = new byte[8192];
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    synchronized (gate) {
                        while (stalled) {
                            gate.wait();
                        }
                    }
                    out.write(buffer, 0, read);
                }
            }
            catch (IOException e) {
                // One side went away; closing both below tells the other.
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private void closeQuietly(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        }
        catch (IOException e) {
            // Already closed.
        }
    }
}
