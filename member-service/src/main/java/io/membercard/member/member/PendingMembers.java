package io.membercard.member.member;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.membercard.common.internal.ServiceAnswer;
import io.membercard.member.client.CardClient;
import io.membercard.member.client.CardInfo;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Finishes members whose creation lost card-service's answer: a member still being created after a minute is asked
 * about at card-service. If a card was issued to it, it becomes a member; if not, it is removed. Members of
 * imports and partner calls are left to their own jobs, which resume them.
 */
@ApplicationScoped
public class PendingMembers {
    private static final Logger LOG = Logger.getLogger(PendingMembers.class);

    private final Pool pool;
    private final CardClient cards;
    private final MemberService service;
    private final MemberRepository members;
    private final ObjectMapper mapper;

    public PendingMembers(Pool pool, CardClient cards, MemberService service, MemberRepository members,
            ObjectMapper mapper) {
        this.pool = pool;
        this.cards = cards;
        this.service = service;
        this.members = members;
        this.mapper = mapper;
    }

    @Scheduled(every = "${membercard.member.pending-every:30s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return resolve(60).replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("pending members round failed: %s", e.getMessage());
            return null;
        });
    }

    /** Settles the members created without a source that have been pending {@code olderThanSeconds}. */
    public Uni<Integer> resolve(int olderThanSeconds) {
        return pool.preparedQuery("""
                select tenant_id, id from member where status = 0 and source_key is null
                and created_at < now() - make_interval(secs => $1) order by id limit 50""")
                .execute(Tuple.of((double) olderThanSeconds))
                .flatMap(rows -> {
                    List<long[]> pending = new ArrayList<>();
                    for (Row row : rows) {
                        pending.add(new long[]{row.getLong(0), row.getLong(1)});
                    }
                    return Multi.createFrom().iterable(pending)
                            .onItem().transformToUniAndConcatenate(p -> settle(p[0], p[1]))
                            .collect().asList().map(List::size);
                });
    }

    private Uni<Void> settle(long tenantId, long memberId) {
        return cards.byMember(tenantId, memberId).flatMap(answer -> {
            if (answer.done()) {
                LOG.infof("tenant %d: member %d finished (its card was issued)", tenantId, memberId);
                return service.activate(tenantId, memberId, mapper.convertValue(answer.data(), CardInfo.class));
            }
            if (answer.kind() == ServiceAnswer.Kind.REFUSED) {
                LOG.infof("tenant %d: member %d removed (no card was issued to it)", tenantId, memberId);
                return members.deletePending(pool, tenantId, memberId);
            }
            return Uni.createFrom().voidItem();
        });
    }
}
