package io.membercard.member.importing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.security.Operator;
import io.membercard.member.config.MemberConfig;
import io.membercard.member.enrol.EnrolResult;
import io.membercard.member.enrol.EnrolRow;
import io.membercard.member.enrol.Enrolment;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Works through import jobs: takes one that is queued (or whose runner stopped: its lease ran out), reads the rows
 * its upload keeps, checks every row and enrols the good ones {@value #CHUNK} at a time, recording progress and
 * refused rows after each chunk. A chunk that fails is tried again; a job that keeps failing ends {@code FAILED},
 * and importing the file again (uploaded again) finishes it without duplicating anything. When a job ends, done or
 * failed, its upload's rows are deleted (unless another import of them is waiting).
 */
@ApplicationScoped
public class ImportRunner {
    static final int CHUNK = 1000;
    private static final int ATTEMPTS = 4;
    private static final Duration LEASE = Duration.ofSeconds(120);
    private static final Logger LOG = Logger.getLogger(ImportRunner.class);

    private final Pool pool;
    private final Enrolment enrolment;
    private final ImportService imports;
    private final Duration retryWait;

    public ImportRunner(Pool pool, Enrolment enrolment, ImportService imports, MemberConfig config) {
        this.pool = pool;
        this.enrolment = enrolment;
        this.imports = imports;
        this.retryWait = config.importRetryWait();
    }

    @Scheduled(every = "${membercard.member.import-every:2s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return runNext().replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("import round failed: %s", e.toString());
            return null;
        });
    }

    /** Runs the next job that is due to its end; answers whether there was one. */
    public Uni<Boolean> runNext() {
        return pool.preparedQuery("""
                update import_job set status = 'RUNNING', lease_until = now() + make_interval(secs => $1),
                       started_at = coalesce(started_at, now())
                where id = (select id from import_job where status in ('QUEUED', 'RUNNING')
                            and (lease_until is null or lease_until < now()) order by id limit 1
                            for update skip locked)
                returning id, tenant_id, file_id, sha256, shop_id, shop_name, card_class_id, level_id, processed,
                          user_id, user_name""")
                .execute(Tuple.of((double) LEASE.toSeconds()))
                .flatMap(rows -> rows.iterator().hasNext()
                        ? run(rows.iterator().next()).replaceWith(true)
                        : Uni.createFrom().item(false));
    }

    private Uni<Void> run(Row job) {
        long id = job.getLong("id");
        long tenantId = job.getLong("tenant_id");
        Long levelId = job.getLong("level_id");
        Enrolment.Context context = new Enrolment.Context(new Operator(tenantId, job.getString("user_id"),
                job.getString("user_name")), job.getLong("shop_id"), job.getString("shop_name"),
                job.getLong("card_class_id"));
        UUID fileId = job.getUUID("file_id");
        return pool.preparedQuery("select staged_rows from import_file where tenant_id = $1 and id = $2")
                .execute(Tuple.of(tenantId, fileId))
                .flatMap(files -> levels(tenantId).flatMap(levels -> {
                    String kept = files.iterator().hasNext() ? files.iterator().next().getString(0) : null;
                    if (kept == null) {
                        return Uni.createFrom().<List<ImportRows.Checked>>failure(new IllegalStateException(
                                "filePath: the upload is no longer kept (an import of it ended, or it was a day "
                                        + "unused): upload the file again"));
                    }
                    return Uni.createFrom().item(() -> check(imports.rows(kept), job.getString("sha256"), levelId,
                            levels)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
                }))
                .flatMap(checked -> pool.preparedQuery("update import_job set total = $2 where id = $1")
                        .execute(Tuple.of(id, checked.size()))
                        .flatMap(ignored -> chunks(id, context, checked, job.getInteger("processed"))))
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("import job %d failed: %s", id, e.getMessage());
                    return pool.preparedQuery("""
                            update import_job set status = 'FAILED', error = $2, lease_until = null,
                                   finished_at = now() where id = $1""")
                            .execute(Tuple.of(id, truncate(e.getMessage()))).replaceWithVoid();
                })
                .call(() -> release(id, fileId));
    }

    private static List<ImportRows.Checked> check(List<StagedRow> staged, String sha256, Long levelId,
            Map<String, Long> levels) {
        ImportRows rows = new ImportRows(sha256, levelId, levels);
        List<ImportRows.Checked> checked = new ArrayList<>(staged.size());
        for (StagedRow row : staged) {
            checked.add(rows.check(row));
        }
        return checked;
    }

    /**
     * Deletes the rows of job {@code id}'s upload once the job ended, unless another import of them is waiting or
     * running (a job taken over after a lost lease has not ended: it keeps them).
     */
    private Uni<Void> release(long id, UUID fileId) {
        return pool.preparedQuery("""
                update import_file f set staged_rows = null, purged_at = now()
                where f.id = $1 and f.staged_rows is not null
                  and exists (select 1 from import_job j where j.id = $2 and j.status in ('DONE', 'FAILED'))
                  and not exists (select 1 from import_job j where j.file_id = f.id
                                  and j.status in ('QUEUED', 'RUNNING'))""")
                .execute(Tuple.of(fileId, id))
                .invoke(rows -> {
                    if (rows.rowCount() > 0) {
                        LOG.infof("import job %d ended: its upload %s was deleted", id, fileId);
                    }
                })
                .replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("import job %d: its upload could not be deleted now (%s); the sweep deletes it", id,
                            e.getMessage());
                    return null;
                });
    }

    private Uni<Map<String, Long>> levels(long tenantId) {
        return pool.preparedQuery("select name, id from member_level where tenant_id = $1 and in_use order by id")
                .execute(Tuple.of(tenantId))
                .map(rows -> {
                    Map<String, Long> byName = new HashMap<>();
                    rows.forEach(row -> byName.putIfAbsent(row.getString(0), row.getLong(1)));
                    return byName;
                });
    }

    /** The chunks from {@code from} on, one after the other, then the job's end. */
    private Uni<Void> chunks(long id, Enrolment.Context context, List<ImportRows.Checked> checked, int from) {
        if (from >= checked.size()) {
            return pool.preparedQuery("""
                    update import_job set status = 'DONE', lease_until = null, finished_at = now(), error = null
                    where id = $1""").execute(Tuple.of(id))
                    .invoke(() -> LOG.infof("import job %d done: %d rows", id, checked.size())).replaceWithVoid();
        }
        List<ImportRows.Checked> chunk = checked.subList(from, Math.min(checked.size(), from + CHUNK));
        return chunk(id, context, chunk, 1).flatMap(ignored -> chunks(id, context, checked, from + chunk.size()));
    }

    private Uni<Void> chunk(long id, Enrolment.Context context, List<ImportRows.Checked> chunk, int attempt) {
        List<EnrolRow> rows = chunk.stream().filter(c -> c.row() != null).map(ImportRows.Checked::row).toList();
        Map<String, Integer> rowNos = new HashMap<>();
        chunk.stream().filter(c -> c.row() != null).forEach(c -> rowNos.put(c.row().sourceKey(), c.rowNo()));
        Uni<List<EnrolResult>> enrolled = rows.isEmpty()
                ? Uni.createFrom().item(List.of())
                : enrolment.enrol(context, rows);
        return enrolled.flatMap(results -> record(id, chunk, results, rowNos)).onFailure().recoverWithUni(e -> {
            if (attempt >= ATTEMPTS) {
                return Uni.createFrom().failure(e);
            }
            LOG.infof("import job %d: a chunk failed (%s), trying again", id, e.getMessage());
            return Uni.createFrom().voidItem().onItem().delayIt().by(retryWait.multipliedBy(1L << (attempt - 1)))
                    .flatMap(ignored -> chunk(id, context, chunk, attempt + 1));
        });
    }

    /** The chunk's refused rows and counts, and the job's progress and lease. */
    private Uni<Void> record(long id, List<ImportRows.Checked> chunk, List<EnrolResult> results,
            Map<String, Integer> rowNos) {
        List<Integer> rejectedRows = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        chunk.stream().filter(c -> c.reason() != null).forEach(c -> {
            rejectedRows.add(c.rowNo());
            reasons.add(truncate(c.reason()));
        });
        int created = 0;
        int existing = 0;
        for (EnrolResult result : results) {
            switch (result.outcome()) {
                case CREATED -> created++;
                case EXISTING -> existing++;
                case REJECTED -> {
                    rejectedRows.add(rowNos.get(result.sourceKey()));
                    reasons.add(truncate(result.reason()));
                }
            }
        }
        int rejected = rejectedRows.size();
        int made = created;
        int found = existing;
        return pool.withTransaction(tx -> tx.preparedQuery("""
                insert into import_rejection (job_id, row_no, reason)
                select $1, r.row_no, r.reason from unnest($2::integer[], $3::varchar[]) as r(row_no, reason)
                on conflict do nothing""")
                .execute(Tuple.of(id, rejectedRows.toArray(new Integer[0]), reasons.toArray(new String[0])))
                .flatMap(ignored -> tx.preparedQuery("""
                        update import_job set processed = processed + $2, created = created + $3,
                               existing = existing + $4, rejected = rejected + $5,
                               lease_until = now() + make_interval(secs => $6)
                        where id = $1""")
                        .execute(Tuple.from(new Object[]{id, chunk.size(), made, found, rejected,
                                (double) LEASE.toSeconds()})))
                .replaceWithVoid());
    }

    private static String truncate(String text) {
        return text == null ? null : text.length() > 300 ? text.substring(0, 300) : text;
    }
}
