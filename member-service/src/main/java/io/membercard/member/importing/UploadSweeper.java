package io.membercard.member.importing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.member.config.MemberConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Ends import jobs past their time budget ({@code membercard.member.import-time-budget}, 2 h) that no runner holds
 * (a job no replica took any more would otherwise keep its upload for ever), and deletes the rows uploads keep once no
 * import needs them: those uploaded longer ago than
 * {@code membercard.member.upload-kept-for} (a day) that no import is waiting for or running on, and those whose
 * import ended but were not deleted then. The upload's record (name, size, content hash, who uploaded it) and its
 * jobs stay. Runs every {@code membercard.member.upload-sweep-every} (an hour) on every instance: it is one
 * statement, and running it twice deletes nothing twice.
 */
@ApplicationScoped
public class UploadSweeper {
    private static final Logger LOG = Logger.getLogger(UploadSweeper.class);

    private final Pool pool;
    private final Duration keptFor;
    private final Duration timeBudget;

    public UploadSweeper(Pool pool, MemberConfig config) {
        this.pool = pool;
        this.keptFor = config.uploadKeptFor();
        this.timeBudget = config.importTimeBudget();
    }

    @Scheduled(every = "${membercard.member.upload-sweep-every:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return sweep().replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("upload sweep failed: %s", e.toString());
            return null;
        });
    }

    /**
     * Ends the jobs past their time budget that no runner holds, then deletes the rows of every upload no import needs
     * any more (and of uploads that failed half-written an hour ago); answers how many uploads lost theirs.
     */
    public Uni<Integer> sweep() {
        return pool.preparedQuery("""
                update import_job set status = 'FAILED', lease_until = null, finished_at = now(),
                       error = 'the import took longer than its time budget: import the file again (uploaded again) '
                               || 'to finish it; rows imported already are not duplicated'
                where status in ('QUEUED', 'RUNNING') and (lease_until is null or lease_until < now())
                  and coalesce(started_at, created_at) < now() - make_interval(secs => $1)""")
                .execute(Tuple.of((double) timeBudget.toSeconds()))
                .invoke(rows -> {
                    if (rows.rowCount() > 0) {
                        LOG.warnf("%d import jobs past their time budget ended FAILED", rows.rowCount());
                    }
                })
                .flatMap(ignored -> pool.withTransaction(tx -> tx.preparedQuery("""
                        update import_file f set purged_at = now()
                        where f.purged_at is null
                          and (f.created_at < now() - make_interval(secs => $1)
                               or (not f.ready and f.created_at < now() - interval '1 hour')
                               or exists (select 1 from import_job j where j.file_id = f.id
                                          and j.status in ('DONE', 'FAILED')))
                          and not exists (select 1 from import_job j where j.file_id = f.id
                                          and j.status in ('QUEUED', 'RUNNING'))
                        returning f.id""")
                        .execute(Tuple.of((double) keptFor.toSeconds()))
                        .flatMap(purged -> {
                            List<UUID> ids = new ArrayList<>();
                            purged.forEach(row -> ids.add(row.getUUID(0)));
                            return tx.preparedQuery("delete from import_chunk where file_id = any($1)")
                                    .execute(Tuple.of(ids.toArray(new UUID[0]))).replaceWith(ids.size());
                        })))
                .invoke(count -> {
                    if (count > 0) {
                        LOG.infof("%d uploads no import needs any more were deleted", count);
                    }
                });
    }
}
