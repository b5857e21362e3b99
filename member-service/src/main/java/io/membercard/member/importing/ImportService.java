package io.membercard.member.importing;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.api.ApiException;
import io.membercard.common.security.Operator;
import io.membercard.member.member.MemberRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * S1-37: member import. A file (xlsx or csv) is uploaded first; starting an import makes a job that
 * {@link ImportRunner} works through in the background, and whose progress and refused rows can be read. Starting
 * the same file again while it runs finds the running job; after it ended, a new job finds every row enrolled
 * already and duplicates nothing.
 */
@ApplicationScoped
public class ImportService {
    public static final int MAX_FILE_BYTES = 50 * 1024 * 1024;
    private static final String PATH_PREFIX = "upload/";
    private static final Logger LOG = Logger.getLogger(ImportService.class);

    private final Pool pool;
    private final MemberRepository members;

    public ImportService(Pool pool, MemberRepository members) {
        this.members = members;
        this.pool = pool;
    }

    /** Keeps an uploaded file; answers the {@code filePath} an import names it by. */
    public Uni<String> upload(Operator operator, String fileName, byte[] content) {
        String name = fileName == null ? "" : fileName.trim();
        String lower = name.toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".xlsx") && !lower.endsWith(".csv")) {
            throw ApiException.badInput("file", "must be an .xlsx or .csv file");
        }
        if (content.length == 0) {
            throw ApiException.badInput("file", "is empty");
        }
        if (content.length > MAX_FILE_BYTES) {
            throw ApiException.badInput("file", "must be at most 50 MB");
        }
        UUID id = UUID.randomUUID();
        return pool.preparedQuery("""
                insert into import_file (id, tenant_id, name, size, sha256, content, user_id)
                values ($1, $2, $3, $4, $5, $6, $7)""")
                .execute(Tuple.from(new Object[]{id, operator.tenantId(), name.length() > 200
                        ? name.substring(name.length() - 200)
                        : name, content.length, sha256(content), io.vertx.core.buffer.Buffer.buffer(content),
                        operator.userId()}))
                .replaceWith(PATH_PREFIX + id)
                .invoke(path -> LOG.infof("tenant %d: %s uploaded (%d bytes) as %s", operator.tenantId(), name,
                        content.length, path));
    }

    /** What starting an import asks for. */
    public record Start(String filePath, long shopId, long cardClassId, Long levelId) {
    }

    /** Starts an import of an uploaded file (or finds the same one running); answers the job's id. */
    public Uni<Long> start(Operator operator, Start start) {
        UUID fileId = fileId(start.filePath());
        long tenantId = operator.tenantId();
        return pool.preparedQuery("select name, sha256 from import_file where tenant_id = $1 and id = $2")
                .execute(Tuple.of(tenantId, fileId))
                .flatMap(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().<Long>failure(ApiException.badInput("filePath",
                                "no uploaded file " + start.filePath()));
                    }
                    Row file = rows.iterator().next();
                    return levelCheck(tenantId, start.levelId()).flatMap(ignored -> pool.preparedQuery("""
                            insert into import_job (tenant_id, file_id, file_name, sha256, shop_id, card_class_id,
                                   level_id, status, user_id, user_name)
                            values ($1, $2, $3, $4, $5, $6, $7, 'QUEUED', $8, $9)
                            on conflict (tenant_id, sha256, shop_id, card_class_id, coalesce(level_id, 0))
                                where status in ('QUEUED', 'RUNNING') do nothing
                            returning id""")
                            .execute(Tuple.from(new Object[]{tenantId, fileId, file.getString("name"),
                                    file.getString("sha256"), start.shopId(), start.cardClassId(), start.levelId(),
                                    operator.userId(), operator.userName()})))
                            .flatMap(inserted -> inserted.iterator().hasNext()
                                    ? Uni.createFrom().item(inserted.iterator().next().getLong(0))
                                    : running(tenantId, file.getString("sha256"), start));
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

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
