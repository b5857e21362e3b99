package io.membercard.common.limits;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.common.paging.PageQuery;
import io.smallrye.mutiny.Uni;

/**
 * What a list page costs its tenant ({@link Limit#LIST_ROWS_PER_SECOND}): its {@code pageSize} rows, taken before the
 * page is read. A page over the tenant's rows this second is answered HTTP 429 ({@link LimitExceeded}, {@code
 * Retry-After: 1}) and nothing is read: a tenant paging through members 500 at a time gets as many pages a second as
 * the platform can give every tenant, while look-ups of a few rows go on.
 */
@ApplicationScoped
public class ListRows {
    private final TenantSeconds seconds;

    public ListRows(TenantSeconds seconds) {
        this.seconds = seconds;
    }

    /** Takes {@code page}'s rows from {@code tenant}'s rows of this second, or fails with {@link LimitExceeded}. */
    public Uni<Void> take(long tenant, PageQuery page) {
        return seconds.add(tenant, Limit.LIST_ROWS_PER_SECOND, page.pageSize()).map(most -> {
            if (most != null) {
                throw new LimitExceeded(Limit.LIST_ROWS_PER_SECOND, "too many list rows: this tenant may ask "
                        + most + " rows a second of the " + seconds.service() + " (limit "
                        + Limit.LIST_ROWS_PER_SECOND.wireName() + "; a page counts its pageSize, " + page.pageSize()
                        + " here); nothing was read, " + (page.pageSize() > most
                                ? "ask for pages of at most " + most + " rows"
                                : "try again in a second or ask for smaller pages"),
                        1);
            }
            return null;
        });
    }
}
