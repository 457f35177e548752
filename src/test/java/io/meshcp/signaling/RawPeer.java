package io.meshcp.signaling;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * A WebSocket client on a bare socket, for what a well-behaved client library will not do: send bytes
 * that are not UTF-8, or stop reading altogether.
 */
final class RawPeer implements AutoCloseable {

    private final Socket socket;

    private final InputStream in;

    private final OutputStream out;

    /** Connects with a receive buffer of {@code receiveBufferBytes} (0: the system's default). */
    RawPeer(int port, String token, int receiveBufferBytes) throws IOException {
        socket = new Socket();
        if (receiveBufferBytes > 0) {
            // Set before connecting, so the TCP window the server sees stays this small.
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new InetSocketAddress("localhost", port));
        socket.setSoTimeout(5_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        String key = Base64.getEncoder().encodeToString(UUID.randomUUID().toString().substring(0, 16)
                .getBytes(StandardCharsets.US_ASCII));
        out.write(("GET /v1/signal?token=" + token + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server refused the upgrade");
            }
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
    }

    /** Sends one text frame with exactly these payload bytes (masked, as a client must). */
    void sendText(byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        }
        else {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xFF);
        }
        byte[] mask = {0x12, 0x34, 0x56, 0x78};
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** The payload of the next text frame. */
    String nextText() throws IOException {
        while (true) {
            int opcode = readByte() & 0x0F;
            long length = readByte() & 0x7F;
            if (length == 126) {
                length = (readByte() << 8) | readByte();
            }
            else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | readByte();
                }
            }
            byte[] payload = in.readNBytes((int) length);
            if (opcode == 1) {
                return new String(payload, StandardCharsets.UTF_8);
            }
            if (opcode == 8) {
                throw new IOException("closed by the server");
            }
        }
    }

    /** Reads everything until the server closes the connection; the byte count, or -1 if it stays open. */
    long drainUntilClosed(long timeoutMillis) throws IOException {
        socket.setSoTimeout((int) timeoutMillis);
        byte[] buffer = new byte[65_536];
        long total = 0;
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
            }
            return total;
        }
        catch (SocketTimeoutException e) {
            return -1;
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new IOException("connection closed");
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
