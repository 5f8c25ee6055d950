package dev.mtasts.check;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Fetches {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} as RFC 8461 §3.3 tells senders to: over
 * HTTPS with a certificate valid for the policy host, no redirect followed, a size and time limit. The address
 * comes from our resolver, which the JDK's HTTP client cannot use, so this speaks HTTP/1.1 itself: one GET with
 * "Connection: close", a status line, headers, and a body read to its Content-Length or to the end.
 */
final class PolicyFetch {

  /** What the fetch got, or where it failed. */
  record Response(int status, Map<String, String> headers, byte[] body, boolean truncated) {}

  static final class FetchException extends IOException {
    FetchException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private PolicyFetch() {}

  static Response get(String host, InetAddress address, int port, String path, SSLContext tls, int timeoutMillis,
      int maxBytes) throws IOException {
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(address, port), timeoutMillis);
      plain.setSoTimeout(timeoutMillis);
      try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true)) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the policy host
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: mta-sts-operator-check\r\n"
            + "Accept: text/plain\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return read(socket.getInputStream(), maxBytes);
      }
    }
  }

  /** Reads one response; the body is kept as the bytes sent, so the parser sees any that are not UTF-8. */
  static Response read(InputStream in, int maxBytes) throws IOException {
    String statusLine = line(in);
    List<String> parts = List.of(statusLine.split(" ", 3));
    if (parts.size() < 2 || !parts.get(0).startsWith("HTTP/1.")) {
      throw new FetchException("not an HTTP response: " + statusLine, null);
    }
    int status = Integer.parseInt(parts.get(1));
    Map<String, String> headers = new LinkedHashMap<>();
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      int colon = header.indexOf(':');
      if (colon > 0) {
        headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
      }
    }
    if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
      return dechunk(in, status, headers, maxBytes);
    }
    long length = Long.parseLong(headers.getOrDefault("content-length", "-1"));
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((length < 0 || body.size() < length) && (n = in.read(buffer)) > 0) {
      body.write(buffer, 0, n);
      if (body.size() > maxBytes) {
        return new Response(status, headers, body.toByteArray(), true);
      }
    }
    return new Response(status, headers, body.toByteArray(), false);
  }

  private static Response dechunk(InputStream in, int status, Map<String, String> headers, int maxBytes)
      throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
        size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
      body.write(in.readNBytes(size));
      line(in);
      if (body.size() > maxBytes) {
        return new Response(status, headers, body.toByteArray(), true);
      }
    }
    return new Response(status, headers, body.toByteArray(), false);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
      if (c != '\r') {
        line.write(c);
      }
      if (line.size() > 8192) {
        throw new FetchException("a header line longer than 8 KiB", null);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }
}
