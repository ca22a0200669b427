package io.orderbus.chaos;

import java.time.Duration;

/**
 * What the {@link FaultRunner} does its faults to: the chaos cluster and its SMTP server, or a test's stand-in.
 * Every method returns once its effect is complete (a restarted node is ready, the SMTP server listens).
 */
interface FaultTarget {
  String nodeName(int node);

  /** SIGKILL. */
  void kill(int node) throws Exception;

  /** Starts a killed node again, same name and cluster port; returns once it is ready. */
  void restart(int node) throws Exception;

  /** SIGSTOP. */
  void pause(int node) throws Exception;

  /** SIGCONT. */
  void resume(int node) throws Exception;

  /**
   * Waits until every node is a member of the cluster again and the backups lost with a member had time to be
   * re-created; false if that did not happen within {@code timeout}.
   */
  boolean awaitRecovered(Duration timeout) throws Exception;

  void stopSmtp() throws Exception;

  /** Starts the SMTP server again on its port. */
  void startSmtp() throws Exception;
}
