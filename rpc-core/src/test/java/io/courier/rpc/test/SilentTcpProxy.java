package io.courier.rpc.test;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay in front of one address that can be told to go silent: while cut, it keeps
 * accepting connections and keeps every connection open (no FIN, no RST) but moves no byte in
 * either direction, as a half-open network partition or a hung middlebox does. Healing it
 * resumes the relay where it stopped, so the byte streams stay intact.
 *
 * <p>Thread-safe. Plain blocking sockets, two daemon threads per relayed connection; for tests.
 */
public final class SilentTcpProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SilentTcpProxy.class);

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private boolean forwarding = true;
    private volatile boolean closed;

    /** Starts relaying {@code 127.0.0.1:<port>} to {@code target}. */
    public SilentTcpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "silent-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Returns the port clients connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** Returns {@code 127.0.0.1:<port>}. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    /** Stops moving bytes, silently: connections stay open and new ones are still accepted. */
    public void cut() {
        synchronized (gate) {
            forwarding = false;
        }
    }

    /** Resumes moving bytes on every connection. */
    public void heal() {
        synchronized (gate) {
            forwarding = true;
            gate.notifyAll();
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(target.getHostString(), target.getPort());
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream, "up");
                pump(upstream, client, "down");
            } catch (IOException e) {
                if (!closed) {
                    log.warn("Proxy {} could not accept or connect to {}", server.getLocalPort(), target, e);
                }
            }
        }
    }

    private void pump(Socket from, Socket to, String direction) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                while (awaitForwarding()) {
                    int n = in.read(buffer);
                    // A read that was blocked when the cut came holds its bytes until the heal.
                    if (n < 0 || !awaitForwarding()) {
                        break;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // One side closed (or close() closed both): the relay of this connection ends.
                log.debug("Proxy {} relay {} ended: {}", server.getLocalPort(), direction, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "silent-proxy-" + server.getLocalPort() + "-" + direction);
        t.setDaemon(true);
        t.start();
    }

    /** Waits while the proxy is cut; returns false once it is closed. */
    private boolean awaitForwarding() throws InterruptedException {
        synchronized (gate) {
            while (!forwarding && !closed) {
                gate.wait();
            }
        }
        return !closed;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Closing a socket that failed already: nothing is left to release.
        }
    }

    /** Stops accepting and closes every relayed connection (with a FIN). */
    @Override
    public void close() throws IOException {
        closed = true;
        synchronized (gate) {
            gate.notifyAll();
        }
        server.close();
        sockets.forEach(SilentTcpProxy::closeQuietly);
    }
}
