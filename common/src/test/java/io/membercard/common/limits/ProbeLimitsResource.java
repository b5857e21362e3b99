package io.membercard.common.limits;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import io.membercard.common.api.ApiResponse;
import io.membercard.common.security.Caller;
import io.smallrye.mutiny.Uni;

/** Test-only endpoints that take quotas and job places the way a service's command does. */
@Path("/probe/limits")
public class ProbeLimitsResource {
    private final Quotas quotas;
    private final HeavyJobs jobs;
    private final Caller caller;

    public ProbeLimitsResource(Quotas quotas, HeavyJobs jobs, Caller caller) {
        this.quotas = quotas;
        this.jobs = jobs;
        this.caller = caller;
    }

    @POST
    @Path("/cards")
    @RolesAllowed("manager")
    public Uni<ApiResponse<Long>> cards(@QueryParam("count") long count) {
        return quotas.take(caller.tenantId(), Limit.BATCH_CARDS_PER_DAY, count).map(taken -> ApiResponse.ok(count));
    }

    @POST
    @Path("/job")
    @RolesAllowed("manager")
    public Uni<ApiResponse<String>> job(@QueryParam("name") String name) {
        return jobs.take(caller.tenantId(), name).map(held -> ApiResponse.ok(name));
    }
}
