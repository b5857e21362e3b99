package io.membercard.member.importing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.limits.HeavyJobs;
import io.membercard.common.limits.Limit;
import io.membercard.common.limits.LimitExceeded;
import io.membercard.common.limits.Quotas;
import io.membercard.common.security.Operator;
import io.membercard.member.client.CardClient;
import io.membercard.member.enrol.MacHashes;
import io.membercard.member.member.MemberRepository;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * S1-37: member import. A file (xlsx or csv) is uploaded first: it is read at once (a file that cannot be read is
 * refused), its card secrets (卡密) are replaced by card-service's hashes of them, and only its rows are kept, that
 * way, and only while an import needs them: they are deleted when an import of them ends (done or failed) and no
 * other is waiting, or a day after the upload when no import is waiting for them ({@link UploadSweeper}). Starting
 * an import makes a job that {@link ImportRunner} works through in the background, and whose progress and refused
 * rows can be read. Starting the same file again while it runs finds the running job; after it ended, the file is
 * uploaded again, and its rows, enrolled already, are not duplicated.
 */
@ApplicationScoped
public class ImportService {
    public static final int MAX_FILE_BYTES = 50 * 1024 * 1024;
    /** How long one call to card-service or the database may take while an upload is read. */
    private static final Duration CALL_WAIT = Duration.ofSeconds(60);
    /** The longest card secret a row may carry (card-service's limit). */
    static final int MAX_MAC = 64;
    private static final String PATH_PREFIX = "upload/";
    private static final Logger LOG = Logger.getLogger(ImportService.class);

    private final Pool pool;
    private final MemberRepository members;
    private final CardClient cards;
    private final ObjectMapper mapper;
    private final UploadGate gate;
    private final Quotas quotas;
    private final HeavyJobs heavyJobs;

    public ImportService(Pool pool, MemberRepository members, CardClient cards, ObjectMapper mapper, UploadGate gate,
            Quotas quotas, HeavyJobs heavyJobs) {
        this.members = members;
        this.pool = pool;
        this.cards = cards;
        this.mapper = mapper;
        this.gate = gate;
        this.quotas = quotas;
        this.heavyJobs = heavyJobs;
    }

    /**
     * The name of an import's place among the tenant's heavy jobs: what makes a running import one (its file, shop,
     * card class and level), so that starting it again finds its place as it finds its job.
     */
    static String heavyJob(String sha256, long shopId, long cardClassId, Long levelId) {
        return "import:" + sha256.substring(0, 16) + ":" + shopId + ":" + cardClassId + ":"
                + (levelId == null ? 0 : levelId);
    }

    /**
     * Reads an uploaded file (at {@code file} on disk) and keeps its rows, {@value ImportRunner#CHUNK} to a chunk, the
     * card secrets hashed by card-service (asked with the uploader's {@code authorization}); answers the
     * {@code filePath} an import names it by. The file is read as a stream, a chunk at a time, so what it costs in
     * memory does not grow with it. Nothing is kept when the file cannot be read (or is too large, see
     * {@link SheetReader}) or its card secrets cannot be hashed.
     */
    public Uni<String> upload(Operator operator, String authorization, String fileName, Path file) {
        String name = fileName == null ? "" : fileName.trim();
        String lower = name.toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".xlsx") && !lower.endsWith(".csv")) {
            throw ApiException.badInput("file", "must be an .xlsx or .csv file");
        }
        long tenantId = operator.tenantId();
        UploadGate.Pass pass = gate.enter(tenantId);
        return quotas.take(tenantId, Limit.UPLOADS_PER_DAY, 1)
                .flatMap(taken -> read(operator, authorization, name, file, pass).onFailure().call(e ->
                // A file refused for what it is counts (reading it cost as much); one we failed does not.
                e instanceof ApiException api && api.status() == StatusCode.BAD_REQUEST
                        ? Uni.createFrom().voidItem()
                        : quotas.giveBack(taken)))
                .onTermination().invoke((item, failure, cancelled) -> {
                    if (cancelled) {
                        pass.cancelled();
                    } else {
                        pass.close();
                    }
                });
    }

    private Uni<String> read(Operator operator, String authorization, String name, Path file, UploadGate.Pass pass) {
        String kept = name.length() > 200 ? name.substring(name.length() - 200) : name;
        UUID id = UUID.randomUUID();
        return Uni.createFrom().item(() -> size(file))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .flatMap(size -> pool.preparedQuery("""
                        insert into import_file (id, tenant_id, name, size, sha256, row_count, user_id, ready)
                        values ($1, $2, $3, $4, $5, 0, $6, false)""")
                        .execute(Tuple.from(new Object[]{id, operator.tenantId(), kept, size.intValue(), sha256(file),
                                operator.userId()}))
                        .replaceWith(size))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(size -> {
                    if (!pass.begin()) {
                        throw new IllegalStateException("the upload was given up before its file was read");
                    }
                    try {
                        Staging staging = new Staging(id, authorization);
                        int rows = SheetReader.read(name, file, staging::add);
                        staging.flush();
                        return rows;
                    } finally {
                        pass.close();
                    }
                })
                .flatMap(rows -> pool.preparedQuery("""
                        update import_file set ready = true, row_count = $2, chunks = $3 where id = $1""")
                        .execute(Tuple.of(id, rows, (rows + ImportRunner.CHUNK - 1) / ImportRunner.CHUNK))
                        .replaceWith(rows))
                .onFailure().call(e -> discard(id))
                .map(rows -> {
                    LOG.infof("tenant %d: a file of %d rows uploaded as %s%s", operator.tenantId(), rows,
                            PATH_PREFIX, id);
                    return PATH_PREFIX + id;
                });
    }

    private static long size(Path file) {
        try {
            long size = Files.size(file);
            if (size == 0) {
                throw ApiException.badInput("file", "is empty");
            }
            if (size > MAX_FILE_BYTES) {
                throw ApiException.badInput("file", "must be at most 50 MB");
            }
            return size;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes what an upload that failed kept so far, its record included (should this fail too, the sweep deletes
     * its rows within the hour).
     */
    private Uni<Void> discard(UUID id) {
        return pool.withTransaction(tx -> tx.preparedQuery("delete from import_chunk where file_id = $1")
                .execute(Tuple.of(id))
                .flatMap(ignored -> tx.preparedQuery("delete from import_file where id = $1").execute(Tuple.of(id))))
                .replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("a failed upload %s was not discarded now (%s): the sweep deletes it", id,
                            e.getMessage());
                    return null;
                });
    }

    /**
     * The rows of one upload on their way to the database, on a worker thread: every {@value ImportRunner#CHUNK}
     * rows, their card secrets are hashed and the chunk is written; only the current chunk is held.
     */
    private final class Staging {
        private final UUID fileId;
        private final String authorization;
        private final ImportRows.Repeats repeats = new ImportRows.Repeats();
        private final List<SheetReader.RawRow> rows = new ArrayList<>(ImportRunner.CHUNK);
        private int chunk;

        Staging(UUID fileId, String authorization) {
            this.fileId = fileId;
            this.authorization = authorization;
        }

        void add(SheetReader.RawRow row) {
            rows.add(row);
            if (rows.size() == ImportRunner.CHUNK) {
                flush();
            }
        }

        void flush() {
            if (rows.isEmpty()) {
                return;
            }
            Map<String, List<String>> hashes = hashes(authorization, rows).await().atMost(CALL_WAIT);
            String json = json(stage(rows, hashes, repeats));
            pool.preparedQuery("insert into import_chunk (file_id, chunk_no, row_count, rows) values ($1, $2, $3, $4)")
                    .execute(Tuple.of(fileId, chunk, rows.size(), json)).await().atMost(CALL_WAIT);
            chunk++;
            rows.clear();
        }
    }

    /**
     * card-service's hashes of the rows' card secrets, by secret ({@value CardClient#MAC_HASH_BATCH} a call). Fails,
     * so that nothing is kept, when card-service does not hash them all.
     */
    private Uni<Map<String, List<String>>> hashes(String authorization, List<SheetReader.RawRow> rows) {
        List<String> macs = rows.stream().map(row -> row.get("mac")).filter(mac -> mac != null
                && mac.length() <= MAX_MAC).distinct().toList();
        Map<String, List<String>> byMac = new HashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int from = 0; from < macs.size(); from += CardClient.MAC_HASH_BATCH) {
            List<String> batch = macs.subList(from, Math.min(macs.size(), from + CardClient.MAC_HASH_BATCH));
            chain = chain.flatMap(ignored -> cards.macHashes(authorization, batch)).map(answer -> {
                if (!answer.done() || !answer.data().isArray() || answer.data().size() != batch.size()) {
                    LOG.warnf("card-service did not hash an upload's card secrets: %s %d", answer.kind(),
                            answer.status().code());
                    throw notHashed();
                }
                for (int i = 0; i < batch.size(); i++) {
                    List<String> hashes = new ArrayList<>();
                    answer.data().get(i).forEach(hash -> hashes.add(hash.asText()));
                    try {
                        List<String> checked = MacHashes.check(hashes);
                        if (checked == null) {
                            throw notHashed();
                        }
                        byMac.put(batch.get(i), checked);
                    } catch (ApiException e) {
                        LOG.warn("card-service answered card secret hashes of the wrong form");
                        throw notHashed();
                    }
                }
                return null;
            });
        }
        return chain.replaceWith(byMac);
    }

    private static ApiException notHashed() {
        return new ApiException(StatusCode.INTERNAL, "the card service did not hash the file's card secrets (卡密): "
                + "nothing was kept; upload the file again in a moment");
    }

    /** The rows as an upload keeps them: the card secret replaced by its hashes (or why it has none). */
    static List<StagedRow> stage(List<SheetReader.RawRow> rows, Map<String, List<String>> hashes,
            ImportRows.Repeats repeats) {
        List<StagedRow> staged = new ArrayList<>(rows.size());
        for (SheetReader.RawRow row : rows) {
            Map<String, String> values = new HashMap<>(row.values());
            values.remove("mac");
            String mac = row.get("mac");
            String problem = mac != null && mac.length() > MAX_MAC
                    ? "must be at most " + MAX_MAC + " characters"
                    : null;
            staged.add(repeats.mark(new StagedRow(row.rowNo(), values,
                    mac == null || problem != null ? null : hashes.get(mac), problem, null, null)));
        }
        return staged;
    }

    private String json(List<StagedRow> rows) {
        try {
            return mapper.writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an upload's rows cannot be written", e);
        }
    }

    /** The rows an upload keeps, or null when they were deleted (its import ended, or a day went by unused). */
    List<StagedRow> rows(String json) {
        if (json == null) {
            return null;
        }
        try {
            return mapper.readValue(json, new TypeReference<List<StagedRow>>() {
            });
        } catch (JsonProcessingException e) {
            // Never the parser's text: it would quote the rows.
            throw new IllegalStateException("the upload's rows cannot be read");
        }
    }

    /** What starting an import asks for. */
    public record Start(String filePath, long shopId, long cardClassId, Long levelId) {
    }

    /** Starts an import of an uploaded file (or finds the same one running); answers the job's id. */
    public Uni<Long> start(Operator operator, Start start) {
        UUID fileId = fileId(start.filePath());
        long tenantId = operator.tenantId();
        return pool.preparedQuery("""
                select name, sha256, row_count, ready and purged_at is null as kept from import_file
                where tenant_id = $1 and id = $2""")
                .execute(Tuple.of(tenantId, fileId))
                .flatMap(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().<Long>failure(ApiException.badInput("filePath",
                                "no uploaded file " + start.filePath()));
                    }
                    Row file = rows.iterator().next();
                    if (!file.getBoolean("kept")) {
                        return Uni.createFrom().<Long>failure(ApiException.badInput("filePath", "the upload "
                                + start.filePath() + " is no longer kept (an import of it ended, or it was a day "
                                + "unused): upload the file again"));
                    }
                    String place = heavyJob(file.getString("sha256"), start.shopId(), start.cardClassId(),
                            start.levelId());
                    return levelCheck(tenantId, start.levelId()).flatMap(checked -> heavyJobs.take(tenantId, place)
                            .flatMap(taken -> pool
                                    .preparedQuery(
                                            """
                                                    insert into import_job (tenant_id, file_id, file_name, sha256, shop_id, card_class_id,
                                                           level_id, status, user_id, user_name, total)
                                                    values ($1, $2, $3, $4, $5, $6, $7, 'QUEUED', $8, $9, $10)
                                                    on conflict (tenant_id, sha256, shop_id, card_class_id, coalesce(level_id, 0))
                                                        where status in ('QUEUED', 'RUNNING') do nothing
                                                    returning id""")
                                    .execute(Tuple.from(new Object[]{tenantId, fileId, file.getString("name"),
                                            file.getString("sha256"), start.shopId(), start.cardClassId(),
                                            start.levelId(),
                                            operator.userId(), operator.userName(), file.getInteger("row_count")})))
                            .flatMap(inserted -> inserted.iterator().hasNext()
                                    ? Uni.createFrom().item(inserted.iterator().next().getLong(0))
                                    : running(tenantId, file.getString("sha256"), start))
                            .onFailure(e -> !(e instanceof LimitExceeded))
                            .call(e -> heavyJobs.release(tenantId, place)));
                })
                .invoke(id -> LOG.infof("tenant %d: import job %d of %s", tenantId, id, start.filePath()));
    }

    private Uni<Long> running(long tenantId, String sha256, Start start) {
        return pool.preparedQuery("""
                select id from import_job where tenant_id = $1 and sha256 = $2 and shop_id = $3
                and card_class_id = $4 and coalesce(level_id, 0) = $5 and status in ('QUEUED', 'RUNNING')""")
                .execute(Tuple.from(new Object[]{tenantId, sha256, start.shopId(), start.cardClassId(),
                        start.levelId() == null ? 0L : start.levelId()}))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    private Uni<Void> levelCheck(long tenantId, Long levelId) {
        if (levelId == null) {
            return Uni.createFrom().voidItem();
        }
        return members.levelInUse(pool, tenantId, levelId).map(inUse -> {
            if (!inUse) {
                throw ApiException.badInput("memberLevelId", "no level " + levelId + " in use");
            }
            return null;
        });
    }

    /** A job of the tenant, with its first refused rows; 404 for none. */
    public Uni<ImportJob> job(long tenantId, long id) {
        return pool.preparedQuery("""
                select id, file_name, status, total, processed, created, existing, rejected, error, created_at,
                       started_at, finished_at from import_job where tenant_id = $1 and id = $2""")
                .execute(Tuple.of(tenantId, id))
                .flatMap(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().failure(ApiException.notFound("import job " + id));
                    }
                    Row job = rows.iterator().next();
                    return pool.preparedQuery("""
                            select row_no, reason from import_rejection where job_id = $1 order by row_no limit $2""")
                            .execute(Tuple.of(id, ImportJob.MAX_LISTED))
                            .map(rejected -> {
                                List<ImportJob.Rejection> list = new ArrayList<>();
                                rejected.forEach(r -> list.add(new ImportJob.Rejection(r.getInteger(0),
                                        r.getString(1))));
                                return new ImportJob(job.getLong("id"), job.getString("file_name"),
                                        job.getString("status"), job.getInteger("total"), job.getInteger("processed"),
                                        job.getInteger("created"), job.getInteger("existing"),
                                        job.getInteger("rejected"), job.getString("error"),
                                        instant(job.getOffsetDateTime("created_at")),
                                        instant(job.getOffsetDateTime("started_at")),
                                        instant(job.getOffsetDateTime("finished_at")), list);
                            });
                });
    }

    private static java.time.Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }

    static UUID fileId(String filePath) {
        String path = filePath == null ? "" : filePath.trim();
        if (!path.startsWith(PATH_PREFIX)) {
            throw ApiException.badInput("filePath", "must be the filePath an upload answered (upload/...)");
        }
        try {
            return UUID.fromString(path.substring(PATH_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw ApiException.badInput("filePath", "must be the filePath an upload answered (upload/...)");
        }
    }

    /** The file's SHA-256, read as a stream. */
    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
