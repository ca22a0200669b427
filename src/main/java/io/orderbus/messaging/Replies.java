package io.orderbus.messaging;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The messaging edge of a service: replies with a result, or fails with the code and details of a
 * {@link DomainFailure} ({@link ServiceFailure#of} reads them back).
 */
public final class Replies {
  /** A failure the service did not mean: a bug or a cluster problem. The gateway answers 500 for it. */
  public static final int INTERNAL_ERROR = 9999;
  private static final Logger LOG = Logger.getLogger(Replies.class.getName());

  private Replies() {
  }

  public static <T> void reply(Message<?> message, Future<T> outcome) {
    outcome.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else {
        fail(message, ar.cause());
      }
    });
  }

  public static void fail(Message<?> message, Throwable cause) {
    if (cause instanceof DomainFailure failure) {
      message.fail(failure.code(), failure.details().encode());
    } else if (cause instanceof ReplyException re && re.failureType() == io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE) {
      message.fail(re.failureCode(), re.getMessage());
    } else if (isMinority(cause)) {
      message.fail(MessagingContract.CLUSTER_MINORITY, details("this node is cut off from most of the cluster and"
          + " refuses writes until it is back (split-brain protection): another node can take the request now"));
    } else {
      LOG.log(Level.WARNING, "unexpected failure answering " + message.address(), cause);
      message.fail(INTERNAL_ERROR, details("internal error: " + cause.getClass().getSimpleName()));
    }
  }

  private static String details(String text) {
    return new io.vertx.core.json.JsonObject().put("message", text).encode();
  }

  /** Whether Hazelcast refused because this node is in a minority (the exception may come wrapped). */
  public static boolean isMinority(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof com.hazelcast.splitbrainprotection.SplitBrainProtectionException) {
        return true;
      }
    }
    return false;
  }

  /** Runs {@code work}, turning an exception it throws into a failed future. */
  public static <T> Future<T> attempt(java.util.concurrent.Callable<Future<T>> work) {
    try {
      return work.call();
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }
}
