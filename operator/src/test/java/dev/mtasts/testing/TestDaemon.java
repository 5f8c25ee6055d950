package dev.mtasts.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A real server a test runs (nginx, knotd, postfix): started in the foreground with its output in a log file,
 * waited for until it is ready (failing with its log if it exits first), stopped when the test is done.
 */
final class TestDaemon implements AutoCloseable {

  private final Process process;

  private TestDaemon(Process process) {
    this.process = process;
  }

  static TestDaemon start(List<String> command, Path log, Callable<Boolean> ready) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        if (!process.isAlive()) {
          throw new IllegalStateException(command.get(0) + " exited: " + Files.readString(log));
        }
        return ready.call();
      });
      return new TestDaemon(process);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether something accepts TCP connections there. */
  static boolean accepts(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
