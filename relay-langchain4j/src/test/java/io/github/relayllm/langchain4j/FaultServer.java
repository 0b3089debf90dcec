package io.github.relayllm.langchain4j;

import io.github.relayllm.langchain4j.internal.http.HttpCompletionClient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 server on a raw {@link ServerSocket}, so that a test can answer the way broken servers do:
 * stall, cut the body short, reset the connection mid-stream. Each connection has a thread of its own that serves
 * keep-alive requests until the handler ends it or the client closes. It counts what a leak check needs: connections
 * accepted and closed, and connections busy with a request (read, not yet answered or dropped).
 */
final class FaultServer implements AutoCloseable {

    /** One request as read. */
    record Request(String method, String path, Map<String, String> headers, String body) {

        boolean streaming() {
            return body.replace(" ", "").contains("\"stream\":true");
        }

        /** The prompt of a completion request. */
        String prompt() {
            try {
                return HttpCompletionClient.JSON.readTree(body).path("prompt").asText("");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Answers one request; returns whether the connection stays open for the next one. */
    @FunctionalInterface
    interface Handler {
        boolean handle(Request request, Exchange exchange) throws IOException;
    }

    private final ServerSocket socket;
    private final Thread acceptor;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<Request> requests = new ArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicInteger busy = new AtomicInteger();
    private volatile Handler handler;

    FaultServer(Handler handler) {
        this.handler = handler;
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::accept, "fault-server-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A URL on which nothing listens: connecting is refused. */
    static String refusedUrl() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    void handler(Handler handler) {
        this.handler = handler;
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    int accepted() {
        return accepted.get();
    }

    /** Connections accepted and not yet closed (idle keep-alive ones included). */
    int openConnections() {
        return accepted.get() - closed.get();
    }

    /** Connections with a request read and neither answered nor dropped by the client. */
    int busyConnections() {
        return busy.get();
    }

    private void accept() {
        while (!socket.isClosed()) {
            Socket connection;
            try {
                connection = socket.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            open.add(connection);
            Thread thread = new Thread(() -> serve(connection), "fault-server-connection-" + accepted.get());
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            connection.setTcpNoDelay(true);
            InputStream in = connection.getInputStream();
            OutputStream out = connection.getOutputStream();
            while (true) {
                Request request = read(in);
                if (request == null) {
                    return;
                }
                synchronized (this) {
                    requests.add(request);
                }
                busy.incrementAndGet();
                boolean keepAlive;
                try {
                    keepAlive = handler.handle(request, new Exchange(connection, in, out));
                } finally {
                    busy.decrementAndGet();
                }
                if (!keepAlive) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            open.remove(connection);
            closed.incrementAndGet();
        }
    }

    private static Request read(InputStream in) throws IOException {
        String requestLine = line(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), header.substring(colon + 1).strip());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        String[] parts = requestLine.split(" ");
        return new Request(parts[0], parts[1], headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            bytes.write(b);
        }
        if (b == -1 && bytes.size() == 0) {
            return null;
        }
        return bytes.toString(StandardCharsets.UTF_8).replaceAll("\r$", "");
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket connection : open) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The answer being written on one connection. */
    static final class Exchange {

        private final Socket connection;
        private final InputStream in;
        private final OutputStream out;

        Exchange(Socket connection, InputStream in, OutputStream out) {
            this.connection = connection;
            this.in = in;
            this.out = out;
        }

        /** A whole answer with its length; the connection stays open. */
        boolean respond(int status, String contentType, String body, String... headerLines) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            head(status, contentType, "Content-Length: " + bytes.length, headerLines);
            out.write(bytes);
            out.flush();
            return true;
        }

        /** Headers of a chunked answer; then {@link #chunk} and {@link #end}. */
        void startChunked(int status, String contentType) throws IOException {
            head(status, contentType, "Transfer-Encoding: chunked");
        }

        void chunk(String text) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        boolean end() throws IOException {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return true;
        }

        /** A streamed answer of these pieces, one chunk each. */
        boolean stream(String contentType, String... pieces) throws IOException {
            startChunked(200, contentType);
            for (String piece : pieces) {
                chunk(piece);
            }
            return end();
        }

        /** Headers promising more body than follows, part of the body, then the connection closed. */
        boolean truncated(int status, String contentType, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            head(status, contentType, "Content-Length: " + (bytes.length * 2));
            out.write(bytes);
            out.flush();
            connection.shutdownOutput();
            return false;
        }

        /** Ends the connection (TCP FIN) without ending the answer. */
        boolean closeOutput() throws IOException {
            out.flush();
            connection.shutdownOutput();
            return false;
        }

        /** Resets the connection (TCP RST): the client sees "connection reset". */
        boolean reset() throws IOException {
            out.flush();
            connection.setSoLinger(true, 0);
            connection.close();
            return false;
        }

        /** Sends nothing more and waits until the client drops the connection (or the server closes). */
        boolean stall() {
            try {
                while (in.read() != -1) {
                    // a client that gave up closes; until then nothing is answered
                }
            } catch (SocketException closed) {
                // closed by the client (reset) or by the server
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return false;
        }

        private void head(int status, String contentType, String framing, String... headerLines) throws IOException {
            StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status))
                    .append("\r\nContent-Type: ").append(contentType).append("\r\n").append(framing).append("\r\n");
            for (String line : headerLines) {
                head.append(line).append("\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        private static String reason(int status) {
            return switch (status) {
                case 200 -> "OK";
                case 401 -> "Unauthorized";
                case 429 -> "Too Many Requests";
                case 500 -> "Internal Server Error";
                case 502 -> "Bad Gateway";
                case 503 -> "Service Unavailable";
                default -> "Status";
            };
        }
    }
}
