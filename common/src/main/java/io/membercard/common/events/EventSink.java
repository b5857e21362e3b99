package io.membercard.common.events;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import io.membercard.common.internal.ServiceKeyFilter;
import io.smallrye.mutiny.Uni;

/** A subscriber's inbox, as the outbox dispatcher calls it: a batch of events per call. */
@Path("/internal/service/events")
public interface EventSink {
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Void> deliver(@HeaderParam(ServiceKeyFilter.HEADER) String serviceKey, List<Event> events);
}
