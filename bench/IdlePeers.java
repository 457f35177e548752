import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Opens N WebSocket connections to the tracker, announces each peer once into one of 50 swarms, then
 * keeps them open and idle until it is killed. It answers no pings, so the tracker's idle timeout must
 * be longer than the measurement (tracker-memory.sh sets it). Spreads connections over source addresses 127.0.0.1..127.0.0.16 so that ephemeral ports
 * do not run out.
 *
 * Usage: java bench/IdlePeers.java PORT TOKEN COUNT
 * Prints "ready N" once all peers have announced.
 */
public class IdlePeers {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String token = args[1];
        int count = Integer.parseInt(args[2]);
        List<Socket> sockets = new ArrayList<>(count);
        byte[] buffer = new byte[4096];
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress("127.0.0." + (1 + i % 16), 0));
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            out.write(("GET /v1/signal?token=" + token + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            readHandshake(in);
            String swarm = String.format("swarm-%014d", i % 50);
            String peer = String.format("peer-%015d", i);
            sendText(out, "{\"action\":\"announce\",\"event\":\"started\",\"info_hash\":\"" + swarm
                    + "\",\"peer_id\":\"" + peer + "\",\"numwant\":0,\"offers\":[]}");
            in.read(buffer);
            sockets.add(socket);
        }
        System.out.println("ready " + sockets.size());
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void readHandshake(InputStream in) throws Exception {
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        StringBuilder head = new StringBuilder();
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IllegalStateException("handshake refused");
            }
            head.append((char) b);
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IllegalStateException("upgrade refused: " + head.toString().lines().findFirst().orElse(""));
        }
    }

    // One write per frame (no small segments waiting on delayed ACKs). Client frames must be masked
    // (RFC 6455); a zero mask keeps the payload as it is. Payloads here are under 64 KiB.
    private static void sendText(OutputStream out, String text) throws Exception {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int header = payload.length < 126 ? 2 : 4;
        byte[] frame = new byte[header + 4 + payload.length];
        frame[0] = (byte) 0x81;
        if (payload.length < 126) {
            frame[1] = (byte) (0x80 | payload.length);
        }
        else {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (payload.length >> 8);
            frame[3] = (byte) payload.length;
        }
        System.arraycopy(payload, 0, frame, header + 4, payload.length);
        out.write(frame);
        out.flush();
    }
}
