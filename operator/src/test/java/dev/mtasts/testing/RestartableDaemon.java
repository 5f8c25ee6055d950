package dev.mtasts.testing;

import java.util.function.IntFunction;

/**
 * A {@link TestDaemon} a fault campaign can crash and bring back: {@link #kill()} sends SIGKILL, as a node losing
 * the process would, and {@link #start()} starts it again with the same command. Each start writes its own log
 * (the starter gets the start's number), so a crash's last lines stay readable.
 */
public final class RestartableDaemon implements AutoCloseable {

  private final IntFunction<TestDaemon> starter;
  private TestDaemon current;
  private int starts;

  private RestartableDaemon(IntFunction<TestDaemon> starter) {
    this.starter = starter;
  }

  /** Starts the daemon now; starter(n) starts it for the n-th time (from 1) and waits until it is ready. */
  public static RestartableDaemon start(IntFunction<TestDaemon> starter) {
    RestartableDaemon daemon = new RestartableDaemon(starter);
    daemon.start();
    return daemon;
  }

  /** The log file name for the n-th start: name itself first, then name with .n before its extension. */
  public static String logName(String name, int start) {
    int dot = name.lastIndexOf('.');
    return start <= 1 ? name : dot < 0 ? name + "." + start : name.substring(0, dot) + "." + start + name.substring(dot);
  }

  public synchronized void start() {
    if (current != null && current.isAlive()) {
      throw new IllegalStateException("already running");
    }
    current = starter.apply(++starts);
  }

  /** SIGKILL, and waits until the process is gone. */
  public synchronized void kill() {
    if (current != null) {
      current.kill();
    }
  }

  public synchronized boolean isRunning() {
    return current != null && current.isAlive();
  }

  public synchronized long pid() {
    return current.pid();
  }

  @Override
  public synchronized void close() {
    if (current != null) {
      current.close();
    }
  }
}
