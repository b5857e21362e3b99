package io.membercard.member.importing;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.member.config.MemberConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Deletes the rows uploads keep once no import needs them: those uploaded longer ago than
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

    public UploadSweeper(Pool pool, MemberConfig config) {
        this.pool = pool;
        this.keptFor = config.uploadKeptFor();
    }

    @Scheduled(every = "${membercard.member.upload-sweep-every:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return sweep().replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("upload sweep failed: %s", e.toString());
            return null;
        });
    }

    /** Deletes the rows of every upload no import needs any more; answers how many uploads lost theirs. */
    public Uni<Integer> sweep() {
        return pool.preparedQuery("""
                update import_file f set staged_rows = null, purged_at = now()
                where f.staged_rows is not null
                  and (f.created_at < now() - make_interval(secs => $1)
                       or exists (select 1 from import_job j where j.file_id = f.id
                                  and j.status in ('DONE', 'FAILED')))
                  and not exists (select 1 from import_job j where j.file_id = f.id
                                  and j.status in ('QUEUED', 'RUNNING'))""")
                .execute(Tuple.of((double) keptFor.toSeconds()))
                .map(rows -> rows.rowCount())
                .invoke(count -> {
                    if (count > 0) {
                        LOG.infof("%d uploads no import needs any more were deleted", count);
                    }
                });
    }
}
