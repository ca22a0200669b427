package io.orderbus.messaging;

import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.core.spi.context.storage.ContextLocal;

/**
 * Registers the context-local slot of {@link Trace}. Vert.x sizes every context's locals when a {@code Vertx} is
 * built, so the slot must exist before that: Vert.x loads this class as a service provider
 * ({@code META-INF/services/io.vertx.core.spi.VertxServiceProvider}) before it counts the locals.
 */
public final class TraceLocal implements VertxServiceProvider {
  static final ContextLocal<String> ID = ContextLocal.registerLocal(String.class);

  @Override
  public void init(VertxBootstrap bootstrap) {
    // Nothing to configure: loading the class registered the slot.
  }
}
