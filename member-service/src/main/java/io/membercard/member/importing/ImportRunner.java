package io.membercard.member.importing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.limits.HeavyJobs;
import io.membercard.common.security.Operator;
import io.membercard.member.config.MemberConfig;
import io.membercard.member.enrol.EnrolResult;
import io.membercard.member.enrol.EnrolRow;
import io.membercard.member.enrol.Enrolment;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Works through import jobs a chunk at a time, fairly between tenants. Each turn takes the job whose tenant was
 * served longest ago (then the job of that tenant served longest ago), runs one chunk of {@value #CHUNK} rows of its
 * upload (checked, enrolled, its refused rows and counts recorded) and hands the job back: a tenant with a file of
 * 200,000 rows gets one chunk in turn with every other tenant that has one waiting, however many jobs it started.
 * <p>
 * A turn takes a job with a lease ({@code membercard.member.import-lease}, two minutes) and a runner id of its own; a
 * chunk has three quarters of the lease to be enrolled, so no other replica takes a job a live runner works on; and should one take it
 * anyway (a runner stalled past its lease), only the runner whose id the job carries can record the chunk: the other
 * one's record is refused and rolled back (its enrolments, keyed by the file's rows, are found again, not duplicated).
 * A chunk that fails is tried again; a job that keeps failing ends {@code FAILED}, as does one still running
 * {@code membercard.member.import-time-budget} after it started; importing the file again (uploaded again) finishes it
 * without duplicating anything. When a job ends, done or failed, its upload's rows are deleted (unless another import
 * of them is waiting).
 */
@ApplicationScoped
public class ImportRunner {
    public static final int CHUNK = 1000;
    private static final int ATTEMPTS = 4;
    /** How long one scheduled run works through turns before it lets the next run start. */
    private static final Duration ROUND = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(ImportRunner.class);

    private final Pool pool;
    private final Enrolment enrolment;
    private final ImportService imports;
    private final Duration retryWait;
    private final Duration timeBudget;
    private final Duration lease;
    /** How long one chunk may take to enrol, retries included; well inside the lease. */
    private final Duration chunkBudget;
    private final HeavyJobs heavyJobs;

    public ImportRunner(Pool pool, Enrolment enrolment, ImportService imports, MemberConfig config,
            HeavyJobs heavyJobs) {
        this.heavyJobs = heavyJobs;
        this.pool = pool;
        this.enrolment = enrolment;
        this.imports = imports;
        this.retryWait = config.importRetryWait();
        this.timeBudget = config.importTimeBudget();
        this.lease = config.importLease();
        this.chunkBudget = lease.multipliedBy(3).dividedBy(4);
    }

    @Scheduled(every = "${membercard.member.import-every:2s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return turns(System.nanoTime() + ROUND.toNanos()).onFailure().recoverWithItem(e -> {
            LOG.warnf("import round failed: %s", e.toString());
            return null;
        });
    }

    /**
     * Keeps the places of every import waiting or running among its tenant's heavy jobs: a place is a lease, and a
     * job waiting for its turn longer than the lease would otherwise lose it to a new one of the same tenant.
     */
    @Scheduled(every = "1m", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> keepPlaces() {
        return pool.query("""
                select tenant_id, sha256, shop_id, card_class_id, level_id from import_job
                where status in ('QUEUED', 'RUNNING')""").execute()
                .flatMap(rows -> {
                    List<Row> open = new ArrayList<>();
                    rows.forEach(open::add);
                    return Multi.createFrom().iterable(open).onItem().transformToUniAndConcatenate(row -> heavyJobs
                            .renew(row.getLong("tenant_id"), ImportService.heavyJob(row.getString("sha256"),
                                    row.getLong("shop_id"), row.getLong("card_class_id"), row.getLong("level_id"))))
                            .collect().last();
                })
                .replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("the places of waiting imports could not be kept now: %s", e.toString());
                    return null;
                });
    }

    /** Turns one after the other until none is due or the round's time is up. */
    private Uni<Void> turns(long until) {
        return runNext().flatMap(ran -> ran && System.nanoTime() < until
                ? turns(until)
                : Uni.createFrom().voidItem());
    }

    /** A job as a turn took it. */
    private record Turn(long id, long tenantId, UUID fileId, String sha256, Long levelId, int chunk, UUID runner,
            boolean overdue, Enrolment.Context context) {
    }

    /** Runs the next turn that is due: one chunk of the job whose tenant waited longest; answers whether there was one. */
    public Uni<Boolean> runNext() {
        UUID runner = UUID.randomUUID();
        return pool.withTransaction(tx -> tx.preparedQuery("""
                update import_job set status = 'RUNNING', lease_until = now() + make_interval(secs => $1),
                       started_at = coalesce(started_at, now()), runner = $2, served_at = now()
                where id = (select j.id from import_job j left join import_turn t on t.tenant_id = j.tenant_id
                            where j.status in ('QUEUED', 'RUNNING')
                              and (j.lease_until is null or j.lease_until < now())
                            order by t.served_at nulls first, j.served_at nulls first, j.id limit 1
                            for update of j skip locked)
                returning id, tenant_id, file_id, sha256, shop_id, shop_name, card_class_id, level_id, next_chunk,
                          user_id, user_name, started_at < now() - make_interval(secs => $3) as overdue""")
                .execute(Tuple.of((double) lease.toSeconds(), runner, (double) timeBudget.toSeconds()))
                .flatMap(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().<Turn>nullItem();
                    }
                    Row job = rows.iterator().next();
                    Turn turn = new Turn(job.getLong("id"), job.getLong("tenant_id"), job.getUUID("file_id"),
                            job.getString("sha256"), job.getLong("level_id"), job.getInteger("next_chunk"), runner,
                            job.getBoolean("overdue"), new Enrolment.Context(new Operator(job.getLong("tenant_id"),
                                    job.getString("user_id"), job.getString("user_name")), job.getLong("shop_id"),
                                    job.getString("shop_name"), job.getLong("card_class_id")));
                    return tx.preparedQuery("""
                            insert into import_turn (tenant_id, served_at) values ($1, now())
                            on conflict (tenant_id) do update set served_at = excluded.served_at""")
                            .execute(Tuple.of(turn.tenantId())).replaceWith(turn);
                }))
                .flatMap(turn -> turn == null
                        ? Uni.createFrom().item(false)
                        : heavyJobs.renew(turn.tenantId(), place(turn)).flatMap(renewed -> run(turn))
                                .replaceWith(true));
    }

    /** The job's place among its tenant's heavy jobs ({@link ImportService#heavyJob}). */
    private static String place(Turn turn) {
        return ImportService.heavyJob(turn.sha256(), turn.context().shopId(), turn.context().cardClassId(),
                turn.levelId());
    }

    private Uni<Void> run(Turn turn) {
        if (turn.overdue()) {
            return fail(turn, new IllegalStateException("the import took longer than its time budget ("
                    + timeBudget.toMinutes() + " minutes): import the file again (uploaded again) to finish it; "
                    + "rows imported already are not duplicated"));
        }
        return pool.preparedQuery("""
                select f.purged_at is null and f.ready as kept, f.chunks, c.rows
                from import_file f left join import_chunk c on c.file_id = f.id and c.chunk_no = $3
                where f.tenant_id = $1 and f.id = $2""")
                .execute(Tuple.of(turn.tenantId(), turn.fileId(), turn.chunk()))
                .flatMap(files -> {
                    Row file = files.iterator().hasNext() ? files.iterator().next() : null;
                    if (file == null || !file.getBoolean("kept")) {
                        return fail(turn, new IllegalStateException("filePath: the upload is no longer kept (an "
                                + "import of it ended, or it was a day unused): upload the file again"));
                    }
                    boolean last = turn.chunk() + 1 >= file.getInteger("chunks");
                    String kept = file.getString("rows");
                    if (kept == null) {
                        return end(turn, "DONE", null);
                    }
                    return levels(turn.tenantId())
                            .flatMap(levels -> Uni.createFrom().item(() -> check(imports.rows(kept), turn.sha256(),
                                    turn.levelId(), levels)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                            .flatMap(checked -> chunk(turn, checked, 1)
                                    .ifNoItem().after(chunkBudget).failWith(() -> new IllegalStateException(
                                            "a chunk of " + CHUNK + " rows took longer than "
                                                    + chunkBudget.toSeconds() + " s"))
                                    .flatMap(results -> record(turn, checked, results, last)))
                            .onFailure(Fenced.class).recoverWithItem(e -> {
                                LOG.warnf("import job %d: another runner took it over; this one's chunk %d is not "
                                        + "recorded", turn.id(), turn.chunk());
                                return null;
                            })
                            .onFailure().recoverWithUni(e -> fail(turn, e));
                });
    }

    /** A job's record refused because the job is no longer this runner's. */
    private static final class Fenced extends RuntimeException {
        Fenced() {
            super("the job is another runner's now", null, false, false);
        }
    }

    private Uni<Void> fail(Turn turn, Throwable e) {
        LOG.warnf("import job %d failed: %s", turn.id(), e.getMessage());
        return end(turn, "FAILED", truncate(e.getMessage()));
    }

    /** Ends the job (if it is still this runner's) and deletes its upload's rows. */
    private Uni<Void> end(Turn turn, String status, String error) {
        return pool.preparedQuery("""
                update import_job set status = $3, error = $4, lease_until = null, finished_at = now()
                where id = $1 and runner = $2""")
                .execute(Tuple.of(turn.id(), turn.runner(), status, error))
                .call(rows -> {
                    if (rows.rowCount() == 0) {
                        // Another runner has the job now: its place and upload are that runner's to give back.
                        return Uni.createFrom().voidItem();
                    }
                    if ("DONE".equals(status)) {
                        LOG.infof("import job %d done", turn.id());
                    }
                    return release(turn.id(), turn.fileId())
                            .call(() -> heavyJobs.release(turn.tenantId(), place(turn)));
                })
                .replaceWithVoid();
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
        return pool.withTransaction(tx -> tx.preparedQuery("""
                update import_file f set purged_at = now()
                where f.id = $1 and f.purged_at is null
                  and exists (select 1 from import_job j where j.id = $2 and j.status in ('DONE', 'FAILED'))
                  and not exists (select 1 from import_job j where j.file_id = f.id
                                  and j.status in ('QUEUED', 'RUNNING'))""")
                .execute(Tuple.of(fileId, id))
                .flatMap(purged -> purged.rowCount() == 0
                        ? Uni.createFrom().item(0)
                        : tx.preparedQuery("delete from import_chunk where file_id = $1").execute(Tuple.of(fileId))
                                .map(ignored -> 1)))
                .invoke(purged -> {
                    if (purged > 0) {
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

    /** Enrols the chunk's good rows, trying again when it fails. */
    private Uni<List<EnrolResult>> chunk(Turn turn, List<ImportRows.Checked> chunk, int attempt) {
        List<EnrolRow> rows = chunk.stream().filter(c -> c.row() != null).map(ImportRows.Checked::row).toList();
        Uni<List<EnrolResult>> enrolled = rows.isEmpty()
                ? Uni.createFrom().item(List.of())
                : enrolment.enrol(turn.context(), rows);
        return enrolled.onFailure().recoverWithUni(e -> {
            if (attempt >= ATTEMPTS) {
                return Uni.createFrom().failure(e);
            }
            LOG.infof("import job %d: a chunk failed (%s), trying again", turn.id(), e.getMessage());
            return Uni.createFrom().voidItem().onItem().delayIt().by(retryWait.multipliedBy(1L << (attempt - 1)))
                    .flatMap(ignored -> chunk(turn, chunk, attempt + 1));
        });
    }

    /**
     * The chunk's refused rows and counts, and the job's progress: its next chunk, or its end after the last one. Only
     * while the job is still this runner's ({@link Fenced} otherwise, and nothing of it is kept).
     */
    private Uni<Void> record(Turn turn, List<ImportRows.Checked> chunk, List<EnrolResult> results, boolean last) {
        Map<String, Integer> rowNos = new HashMap<>();
        chunk.stream().filter(c -> c.row() != null).forEach(c -> rowNos.put(c.row().sourceKey(), c.rowNo()));
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
                update import_job set processed = processed + $4, created = created + $5,
                       existing = existing + $6, rejected = rejected + $7, next_chunk = next_chunk + 1,
                       lease_until = null, status = case when $8 then 'DONE' else status end,
                       finished_at = case when $8 then now() end, error = case when $8 then null else error end
                where id = $1 and runner = $2 and next_chunk = $3""")
                .execute(Tuple.from(new Object[]{turn.id(), turn.runner(), turn.chunk(), chunk.size(), made, found,
                        rejected, last}))
                .flatMap(updated -> {
                    if (updated.rowCount() == 0) {
                        return Uni.createFrom().failure(new Fenced());
                    }
                    return tx.preparedQuery("""
                            insert into import_rejection (job_id, row_no, reason)
                            select $1, r.row_no, r.reason
                            from unnest($2::integer[], $3::varchar[]) as r(row_no, reason)
                            on conflict do nothing""")
                            .execute(Tuple.of(turn.id(), rejectedRows.toArray(new Integer[0]),
                                    reasons.toArray(new String[0])));
                })
                .replaceWithVoid())
                .call(() -> last ? release(turn.id(), turn.fileId()) : Uni.createFrom().voidItem())
                .call(() -> last ? heavyJobs.release(turn.tenantId(), place(turn)) : Uni.createFrom().voidItem())
                .invoke(() -> {
                    if (last) {
                        LOG.infof("import job %d done", turn.id());
                    }
                });
    }

    private static String truncate(String text) {
        return text == null ? null : text.length() > 300 ? text.substring(0, 300) : text;
    }
}
