package io.membercard.payment.settings;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.events.Event;
import io.membercard.common.events.EventHandler;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** The tenant's payment order, as member-service's settings publish it ({@code tenant.settings}). */
@ApplicationScoped
public class SettingsEvents implements EventHandler {
    public static final String TENANT_SETTINGS = "tenant.settings";
    private static final Logger LOG = Logger.getLogger(SettingsEvents.class);

    private final TenantSettings settings;

    public SettingsEvents(TenantSettings settings) {
        this.settings = settings;
    }

    @Override
    public boolean handles(String type) {
        return TENANT_SETTINGS.equals(type);
    }

    @Override
    public Uni<Void> handle(SqlConnection tx, Event event) {
        String order = event.payload().path("splitOrder").asText("");
        try {
            return settings.setSplitOrder(tx, event.tenantId(), SplitOrder.valueOf(order),
                    event.occurredAt() == null ? java.time.Instant.now() : event.occurredAt());
        } catch (IllegalArgumentException e) {
            LOG.warnf("tenant %d: ignored settings event %s with split order '%s'", event.tenantId(),
                    event.eventId(), order);
            return Uni.createFrom().voidItem();
        }
    }
}
