package dev.mtasts.check;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * Connects to an MX host as a sending MTA does (RFC 3207): greeting, EHLO, STARTTLS, then a TLS handshake whose
 * chain must lead to a trusted root (RFC 8461 §4.2). Host name matching is left to the caller, so that an untrusted
 * chain and a wrong name are reported apart.
 */
final class StartTlsProbe {

  /** How far the probe got. */
  enum Outcome { NO_CONNECTION, NO_STARTTLS, EXPIRED, UNTRUSTED, TLS }

  /** The outcome, a sentence, and the server's certificate when TLS was established. */
  record Result(Outcome outcome, String detail, Optional<X509Certificate> certificate) {}

  private StartTlsProbe() {}

  static Result probe(String mxHost, InetAddress address, int port, SSLContext tls, int timeoutMillis) {
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(address, port), timeoutMillis);
      plain.setSoTimeout(timeoutMillis);
      BufferedReader in = new BufferedReader(new InputStreamReader(plain.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = plain.getOutputStream();
      expect(in, "220");
      send(out, "EHLO mta-sts-check.invalid");
      List<String> capabilities = expect(in, "250");
      if (capabilities.stream().noneMatch(c -> c.toUpperCase(Locale.ROOT).startsWith("STARTTLS"))) {
        send(out, "QUIT");
        return new Result(Outcome.NO_STARTTLS, mxHost + " does not offer STARTTLS", Optional.empty());
      }
      send(out, "STARTTLS");
      expect(in, "220");
      try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, mxHost, port, true)) {
        socket.startHandshake();
        X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
        socket.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
        return new Result(Outcome.TLS, mxHost + " negotiated " + socket.getSession().getProtocol(), Optional.of(leaf));
      } catch (SSLException e) {
        if (causedBy(e, CertificateExpiredException.class)) {
          return new Result(Outcome.EXPIRED, mxHost + ": the STARTTLS certificate has expired: " + rootCause(e),
              Optional.empty());
        }
        return new Result(Outcome.UNTRUSTED, mxHost + ": TLS handshake failed: " + rootCause(e), Optional.empty());
      }
    } catch (IOException e) {
      return new Result(Outcome.NO_CONNECTION, mxHost + " (" + address.getHostAddress() + ":" + port + "): "
          + rootCause(e), Optional.empty());
    }
  }

  private static void send(OutputStream out, String command) throws IOException {
    out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Reads one (possibly multi-line) reply; returns the text of its lines; fails on another code. */
  private static List<String> expect(BufferedReader in, String code) throws IOException {
    List<String> lines = new ArrayList<>();
    String line;
    do {
      line = in.readLine();
      if (line == null || line.length() < 3 || !line.startsWith(code)) {
        throw new IOException("expected a " + code + " reply, got " + (line == null ? "end of stream" : line));
      }
      lines.add(line.length() > 4 ? line.substring(4) : "");
    } while (line.length() > 3 && line.charAt(3) == '-');
    return lines;
  }

  /** The JDK's trust manager refuses an expired chain during the handshake, as a sender's does. */
  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }

  static String rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}
