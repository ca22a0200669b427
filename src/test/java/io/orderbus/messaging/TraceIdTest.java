package io.orderbus.messaging;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the gateway takes from a client as a trace id, and what it replaces. */
class TraceIdTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String VALID = "00-" + TRACE + "-00f067aa0ba902b7-01";

  @Test
  void aTraceparentGivesItsTraceId() {
    assertThat(TraceId.fromTraceparent(VALID)).isEqualTo(TRACE);
    assertThat(TraceId.normalTraceparent(VALID)).isEqualTo(VALID);
    // A later version may add fields; only the first four are read and repeated.
    assertThat(TraceId.fromTraceparent("01-" + TRACE + "-00f067aa0ba902b7-01-future")).isEqualTo(TRACE);
    assertThat(TraceId.normalTraceparent("01-" + TRACE + "-00f067aa0ba902b7-01-future"))
        .isEqualTo("01-" + TRACE + "-00f067aa0ba902b7-01");
  }

  @Test
  void aTraceparentNotInW3cFormIsRefused() {
    assertThat(TraceId.fromTraceparent(null)).isNull();
    assertThat(TraceId.fromTraceparent("")).isNull();
    assertThat(TraceId.fromTraceparent(VALID.toUpperCase())).as("upper case").isNull();
    assertThat(TraceId.fromTraceparent("ff-" + TRACE + "-00f067aa0ba902b7-01")).as("version ff").isNull();
    assertThat(TraceId.fromTraceparent("00-" + "0".repeat(32) + "-00f067aa0ba902b7-01")).as("zero trace-id").isNull();
    assertThat(TraceId.fromTraceparent("00-" + TRACE + "-0000000000000000-01")).as("zero parent-id").isNull();
    assertThat(TraceId.fromTraceparent(VALID + "-extra")).as("version 00 with more fields").isNull();
    assertThat(TraceId.fromTraceparent(VALID.replace('-', '_'))).isNull();
    assertThat(TraceId.fromTraceparent("00-" + TRACE.substring(1) + "g-00f067aa0ba902b7-01")).as("not hex").isNull();
    assertThat(TraceId.fromTraceparent(VALID + "\r\nSet-Cookie: x")).isNull();
  }

  @Test
  void aRequestIdOfSafeCharactersIsTakenAsItIs() {
    assertThat(TraceId.fromRequestId("order-42")).isEqualTo("order-42");
    assertThat(TraceId.fromRequestId("f81d4fae-7dec-11d0-a765-00a0c91e6bf6")).isEqualTo("f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
    assertThat(TraceId.fromRequestId("aGVsbG8=/+:_.")).isEqualTo("aGVsbG8=/+:_.");
    assertThat(TraceId.fromRequestId("x".repeat(TraceId.MAX_LENGTH))).hasSize(TraceId.MAX_LENGTH);
  }

  @Test
  void aRequestIdThatCouldBreakAHeaderOrALogLineIsRefused() {
    assertThat(TraceId.fromRequestId(null)).isNull();
    assertThat(TraceId.fromRequestId("")).isNull();
    assertThat(TraceId.fromRequestId("x".repeat(TraceId.MAX_LENGTH + 1))).as("too long").isNull();
    assertThat(TraceId.fromRequestId("a\r\nX-Injected: 1")).isNull();
    assertThat(TraceId.fromRequestId("a\n12:00:00.000 INFO forged line")).isNull();
    assertThat(TraceId.fromRequestId("a b")).isNull();
    assertThat(TraceId.fromRequestId("a]")).as("would close the log tag").isNull();
    assertThat(TraceId.fromRequestId("<script>")).isNull();
    assertThat(TraceId.fromRequestId("caf\u00e9")).as("non-ASCII").isNull();
    assertThat(TraceId.fromRequestId("a\u0000")).isNull();
  }

  @Test
  void aFreshIdIsAW3cTraceIdAndNewEachTime() {
    String fresh = TraceId.fresh();
    assertThat(fresh).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32)).isNotEqualTo(TraceId.fresh());
    assertThat(TraceId.fromTraceparent("00-" + fresh + "-00f067aa0ba902b7-01")).isEqualTo(fresh);
  }
}
