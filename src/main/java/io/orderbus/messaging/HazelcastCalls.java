package io.orderbus.messaging;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Hazelcast's async calls as Vert.x futures, with one thread hand-off fewer than
 * {@code Future.fromCompletionStage}: Hazelcast runs a plain {@code whenComplete} callback on the common
 * pool, which then hands the result to the event loop; here the thread that completes the call (the
 * Hazelcast reader or partition thread) hands it to the event loop directly. Each hand-off is a thread
 * wake-up, and an order makes some thirty Hazelcast calls.
 */
public final class HazelcastCalls {
  /** Runs a completion callback where the call completed. Callbacks given it must only hand work on. */
  public static final Executor WHERE_COMPLETED = Runnable::run;

  private HazelcastCalls() {
  }

  /** The call's outcome, delivered on {@code context}. */
  public static <T> Future<T> on(CompletionStage<T> call, Context context) {
    Promise<T> promise = Promise.promise();
    call.whenCompleteAsync((value, failure) -> context.runOnContext(v -> {
      if (failure != null) {
        promise.fail(failure);
      } else {
        promise.complete(value);
      }
    }), WHERE_COMPLETED);
    return promise.future();
  }
}
