package io.orderbus.messaging;

import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The messaging edge says what went wrong in codes the gateway maps: a minority node's refusal is not a bug. */
@ExtendWith(VertxExtension.class)
class RepliesTest {

  @Test
  void aWriteRefusedBySplitBrainProtectionIsClusterMinorityNotInternal(Vertx vertx) throws Exception {
    vertx.eventBus().<String>consumer("replies-test.minority", m -> Replies.reply(m, Future.failedFuture(
        new IllegalStateException("wrapped", new SplitBrainProtectionException("majority not present")))))
        .completion().await(10, TimeUnit.SECONDS);
    vertx.eventBus().<String>consumer("replies-test.bug", m -> Replies.reply(m, Future.failedFuture(
        new NullPointerException("a bug")))).completion().await(10, TimeUnit.SECONDS);

    ReplyException minority = catchThrowableOfType(ReplyException.class,
        () -> vertx.eventBus().request("replies-test.minority", "x").await(10, TimeUnit.SECONDS));
    assertThat(minority.failureCode()).isEqualTo(MessagingContract.CLUSTER_MINORITY);
    ReplyException bug = catchThrowableOfType(ReplyException.class,
        () -> vertx.eventBus().request("replies-test.bug", "x").await(10, TimeUnit.SECONDS));
    assertThat(bug.failureCode()).isEqualTo(Replies.INTERNAL_ERROR);
  }
}
