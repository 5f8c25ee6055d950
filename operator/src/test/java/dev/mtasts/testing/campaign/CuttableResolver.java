package dev.mtasts.testing.campaign;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.xbill.DNS.Message;
import org.xbill.DNS.SimpleResolver;

/**
 * The operator's resolver in a fault campaign: it forwards every query to the stack's DNS server, except, while
 * {@link #cut()} holds, the address queries of policy hosts ({@code mta-sts.*}), which it drops. The policy URL is
 * then unreachable from the operator alone, while senders (who ask the DNS server directly) still reach it: a
 * network policy or a split-horizon resolver gone wrong. Written by hand: no DNS proxy library runs in-process.
 */
public final class CuttableResolver implements AutoCloseable {

  private final DatagramSocket socket;
  private final SimpleResolver upstream;
  private final ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
    Thread thread = new Thread(r, "cuttable-resolver");
    thread.setDaemon(true);
    return thread;
  });
  private volatile boolean cut;

  private CuttableResolver(DatagramSocket socket, InetSocketAddress upstream) {
    this.socket = socket;
    this.upstream = new SimpleResolver(upstream);
    this.upstream.setTimeout(Duration.ofSeconds(2));
    workers.execute(this::serve);
  }

  /** Listens on a free UDP port of address, forwarding to upstream. */
  public static CuttableResolver start(InetAddress address, InetSocketAddress upstream) {
    try {
      return new CuttableResolver(new DatagramSocket(new InetSocketAddress(address, 0)), upstream);
    } catch (SocketException e) {
      throw new IllegalStateException(e);
    }
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  /** From now on, policy hosts do not resolve for whoever asks here. */
  public void cut() {
    cut = true;
  }

  public void heal() {
    cut = false;
  }

  private void serve() {
    byte[] buffer = new byte[4096];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
        byte[] query = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
        var from = packet.getSocketAddress();
        workers.execute(() -> answer(query, from));
      } catch (IOException e) {
        // Closed, or a broken packet: the loop ends or goes on.
      }
    }
  }

  private void answer(byte[] bytes, java.net.SocketAddress from) {
    try {
      Message query = new Message(bytes);
      if (cut && query.getQuestion() != null && query.getQuestion().getName().toString().startsWith("mta-sts.")) {
        return;
      }
      Message answer = upstream.send(query);
      answer.getHeader().setID(query.getHeader().getID());
      byte[] response = answer.toWire();
      socket.send(new DatagramPacket(response, response.length, from));
    } catch (IOException e) {
      // The asker times out, as it would with a resolver that lost the upstream.
    }
  }

  @Override
  public void close() {
    socket.close();
    workers.shutdownNow();
  }
}
