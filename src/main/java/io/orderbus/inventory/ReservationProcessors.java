package io.orderbus.inventory;

import static io.orderbus.inventory.InventoryContract.ReservationState.RELEASING;
import static io.orderbus.inventory.InventoryContract.ReservationState.RESERVED;
import static io.orderbus.inventory.InventoryContract.ReservationState.RESERVING;

import io.orderbus.inventory.InventoryContract.Reservation;
import io.orderbus.messaging.JsonStep;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * The per-order record of the embedded store ({@code inventory.reservations}, the reservation's JSON),
 * moved through its states by one atomic step each:
 * {@code RESERVING → RESERVED | REJECTED}, and {@code (none | RESERVING | RESERVED) → RELEASING → RELEASED}.
 * The record decides: whichever attempt settles first wins, and every attempt then acts on the winner.
 * Each step answers the record as it was before it (null if none).
 */
final class ReservationProcessors {
  private ReservationProcessors() {
  }

  static Reservation read(String json) {
    return json == null ? null : Reservation.fromJson(new JsonObject(json));
  }

  /** Opens the record as RESERVING (with the lines) unless there is one. */
  static final class Begin extends WithRecord {
    public Begin() {
    }

    Begin(Reservation reserving) {
      super(reserving);
    }

    @Override
    public String process(Map.Entry<String, String> entry) {
      String before = entry.getValue();
      if (before == null) {
        entry.setValue(json);
      }
      return before;
    }
  }

  /** Writes the outcome if the record is still RESERVING (or missing); otherwise leaves the winner. */
  static final class Settle extends WithRecord {
    public Settle() {
    }

    Settle(Reservation outcome) {
      super(outcome);
    }

    @Override
    public String process(Map.Entry<String, String> entry) {
      String before = entry.getValue();
      if (before == null || RESERVING.equals(read(before).state())) {
        entry.setValue(json);
      }
      return before;
    }
  }

  /**
   * Marks the order RELEASING (keeping its lines, and in {@code reason} the state it had) if it holds or
   * may hold stock; with no record, writes RELEASED at once so that a late reservation takes nothing.
   */
  static final class BeginRelease extends WithRecord {
    public BeginRelease() {
    }

    BeginRelease(Reservation releasedEmpty) {
      super(releasedEmpty);
    }

    @Override
    public String process(Map.Entry<String, String> entry) {
      String before = entry.getValue();
      if (before == null) {
        entry.setValue(json);
        return null;
      }
      Reservation prior = read(before);
      if (RESERVING.equals(prior.state()) || RESERVED.equals(prior.state())) {
        entry.setValue(new Reservation(prior.orderId(), RELEASING, prior.lines(), prior.state().name(), null, prior.node())
            .toJson().encode());
      }
      return before;
    }
  }

  /** RELEASING → RELEASED once every line is given back. */
  static final class FinishRelease extends WithRecord {
    public FinishRelease() {
    }

    FinishRelease(Reservation released) {
      super(released);
    }

    @Override
    public String process(Map.Entry<String, String> entry) {
      String before = entry.getValue();
      if (before != null && RELEASING.equals(read(before).state())) {
        entry.setValue(json);
      }
      return before;
    }
  }

  /** A step that carries one reservation record as JSON. */
  abstract static class WithRecord extends JsonStep {
    WithRecord() {
    }

    WithRecord(Reservation record) {
      super(record.toJson().encode());
    }
  }
}
