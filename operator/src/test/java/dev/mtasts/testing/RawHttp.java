package dev.mtasts.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 written by hand over a socket, for what an HTTP client library will not send: any Host (with SNI to
 * match), a body that stalls halfway, a chunked body with no end. One request per connection.
 */
public final class RawHttp implements AutoCloseable {

  /** An answer; header names in lower case. */
  public record Response(int status, Map<String, String> headers, String body) {
    public Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = socket.getInputStream();
  }

  /** A plain connection. */
  public static RawHttp connect(InetSocketAddress to) {
    try {
      Socket socket = new Socket();
      socket.connect(to, 5000);
      socket.setSoTimeout(60_000);
      return new RawHttp(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A TLS connection asking for {@code serverName} (SNI), as a sender reaching the Ingress does. */
  public static RawHttp connectTls(InetSocketAddress to, SSLContext tls, String serverName) {
    try {
      SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket();
      socket.connect(to, 5000);
      socket.setSoTimeout(60_000);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(serverName)));
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      return new RawHttp(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The request line and headers (Connection: close added), then the blank line. */
  public RawHttp head(String method, String path, String host, Map<String, String> headers) {
    StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("Connection: close\r\n\r\n");
    return write(head.toString().getBytes(StandardCharsets.US_ASCII));
  }

  public RawHttp write(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes, and says whether the peer still took it (false once it closed the connection). */
  public boolean tryWrite(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** One chunk of a chunked body. */
  public boolean tryChunk(byte[] bytes) {
    byte[] size = (Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    return tryWrite(size) && tryWrite(bytes) && tryWrite("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  /** A whole request with a body and its Content-Length. */
  public static Response post(RawHttp connection, String path, String host, String contentType, byte[] body) {
    try (connection) {
      connection.head("POST", path, host, Map.of("Content-Type", contentType,
          "Content-Length", Integer.toString(body.length)));
      connection.write(body);
      return connection.read();
    }
  }

  /** Reads the answer: to the end of its Content-Length, of its chunks, or of the connection. */
  public Response read() {
    try {
      String statusLine = line();
      if (statusLine == null) {
        throw new IOException("the connection closed without an answer");
      }
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      Map<String, String> headers = new TreeMap<>();
      for (String line = line(); line != null && !line.isEmpty(); line = line()) {
        int colon = line.indexOf(':');
        headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (headers.containsKey("content-length")) {
        body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
      } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        for (int size = Integer.parseInt(line().strip(), 16); size > 0; size = Integer.parseInt(line().strip(), 16)) {
          body.write(in.readNBytes(size));
          line();
        }
      } else {
        body.write(in.readAllBytes());
      }
      return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the peer closed the connection (reading returns end of stream or a reset). */
  public boolean closedByPeer() {
    try {
      return in.read() < 0;
    } catch (IOException e) {
      return true;
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (b == '\n') {
        String text = line.toString(StandardCharsets.US_ASCII);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing: nothing to do
    }
  }
}
