package dev.mtasts.operator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * One GET of a path from one pod, with the Host header of a policy host: what the ingress controller sends to the
 * endpoint it picks. Written by hand because the JDK's HTTP clients refuse to set Host (it is a restricted header
 * unless a JVM-wide property is set before their first use), and a shared server answers by Host.
 */
public final class EndpointFetch {

  /** Far above any policy (RFC 8461 §3.3 lets senders stop at 64 KiB). */
  static final int MAX_RESPONSE_BYTES = 128 * 1024;

  /** The status and the body of an answer. */
  public record Answer(int status, byte[] body) {}

  private EndpointFetch() {}

  public static Answer get(InetSocketAddress endpoint, String host, String path, Duration timeout) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(endpoint, (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: mta-sts-operator\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return parse(in.readNBytes(MAX_RESPONSE_BYTES + 1));
    }
  }

  /** An HTTP/1.1 response read to its end: status line, headers, then a body by Content-Length or chunks. */
  static Answer parse(byte[] response) throws IOException {
    if (response.length > MAX_RESPONSE_BYTES) {
      throw new IOException("answer longer than " + MAX_RESPONSE_BYTES + " bytes");
    }
    int end = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    if (end < 0) {
      throw new IOException("no end of the headers in " + response.length + " bytes");
    }
    String[] head = new String(response, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    String[] statusLine = head[0].split(" ", 3);
    if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x status line: " + head[0]);
    }
    int status;
    try {
      status = Integer.parseInt(statusLine[1]);
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP status: " + head[0], e);
    }
    Integer length = null;
    boolean chunked = false;
    for (int i = 1; i < head.length; i++) {
      int colon = head[i].indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = head[i].substring(colon + 1).trim();
      if (name.equals("content-length")) {
        length = Integer.parseInt(value);
      } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
        chunked = true;
      }
    }
    byte[] rest = Arrays.copyOfRange(response, end + 4, response.length);
    if (chunked) {
      return new Answer(status, dechunk(rest));
    }
    if (length != null) {
      if (rest.length < length) {
        throw new IOException("body cut short: " + rest.length + " of " + length + " bytes");
      }
      return new Answer(status, Arrays.copyOf(rest, length));
    }
    return new Answer(status, rest);
  }

  private static byte[] dechunk(byte[] chunks) throws IOException {
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    int at = 0;
    while (true) {
      int lineEnd = indexOf(Arrays.copyOfRange(chunks, at, chunks.length), new byte[] {'\r', '\n'});
      if (lineEnd < 0) {
        throw new IOException("chunked body cut short");
      }
      String sizeLine = new String(chunks, at, lineEnd, StandardCharsets.US_ASCII);
      int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
      at += lineEnd + 2;
      if (size == 0) {
        return body.toByteArray();
      }
      if (at + size > chunks.length) {
        throw new IOException("chunk cut short");
      }
      body.write(chunks, at, size);
      at += size + 2;
    }
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
