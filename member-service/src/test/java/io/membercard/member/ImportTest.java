package io.membercard.member;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Tokens;
import io.membercard.member.importing.ImportRunner;
import io.membercard.member.importing.UploadSweeper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** S1-37: files are uploaded, imported in the background, followed, and imported again without duplicates. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServices.class)
class ImportTest {
    private final Pool pool;
    private final ImportRunner runner;
    private final UploadSweeper sweeper;
    private final CircuitBreakerMaintenance breakers;

    ImportTest(Pool pool, ImportRunner runner, UploadSweeper sweeper, CircuitBreakerMaintenance breakers) {
        this.pool = pool;
        this.runner = runner;
        this.sweeper = sweeper;
        this.breakers = breakers;
    }

    @BeforeEach
    void answers() {
        OtherServices.forImports();
        breakers.resetAll();
    }

    static String upload(String token, String name, byte[] content) {
        return given().header("Authorization", token).multiPart("file", name, content).post(
                "/api/member/member/upload").then().statusCode(200).extract().jsonPath().getString("data");
    }

    static long start(Members t, String filePath) {
        return t.post(t.manager, "/api/member/member/import", "{\"filePath\":\"" + filePath + "\",\"shopId\":5,"
                + "\"memberCardClassId\":3,\"memberLevelId\":0}").statusCode(200).extract().jsonPath()
                .getLong("data");
    }

    /** Runs jobs until {@code job} has ended; answers it. */
    JsonPath finish(Members t, long job) {
        for (int i = 0; i < 100; i++) {
            runner.runNext().await().atMost(Duration.ofSeconds(60));
            JsonPath state = t.get(t.manager, "/api/member/member/importjob?id=" + job).statusCode(200).extract()
                    .jsonPath();
            if (!List.of("QUEUED", "RUNNING").contains(state.getString("status"))) {
                return state;
            }
        }
        throw new AssertionError("import job " + job + " did not end");
    }

    private long members(long tenant, int status) {
        return pool.preparedQuery("select count(*) from member where tenant_id = $1 and status = $2")
                .execute(Tuple.of(tenant, (short) status)).await().indefinitely().iterator().next().getLong(0);
    }

    /** A csv of {@code good} members (the first with a card code and money) and three bad rows. */
    static String csv(int good) {
        StringBuilder csv = new StringBuilder("姓名,手机,卡号,性别,生日,余额,赠送余额,积分\n");
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < good; i++) {
            String phone = Members.phone();
            phones.add(phone);
            csv.append("会员").append(i).append(',').append(phone).append(',')
                    .append(i == 0 ? "IMP" + phone : "").append(',').append(i % 2 == 0 ? "男" : "女")
                    .append(",1990-01-0").append(1 + i % 9).append(',').append(i == 0 ? "100.50" : "0")
                    .append(',').append(i == 0 ? "10" : "").append(',').append(i == 0 ? "30" : "").append('\n');
        }
        csv.append("Bad phone,12345,,,,,,\n");
        csv.append("Twice,").append(phones.get(1)).append(",,,,,,\n");
        csv.append("Bad money,").append(Members.phone()).append(",,,,1.001,,\n");
        return csv.toString();
    }

    @Test
    void aCsvIsImportedItsBadRowsAreReportedAndASecondRunDuplicatesNothing() {
        Members t = new Members();
        String content = csv(20);
        long job = start(t, upload(t.manager, "members.csv", content.getBytes(StandardCharsets.UTF_8)));
        JsonPath done = finish(t, job);
        assertThat(done.getString("status")).isEqualTo("DONE");
        assertThat(done.getInt("total")).isEqualTo(23);
        assertThat(done.getInt("processed")).isEqualTo(23);
        assertThat(done.getInt("created")).isEqualTo(20);
        assertThat(done.getInt("rejected")).isEqualTo(3);
        assertThat(done.getList("rejections.row", Integer.class)).containsExactly(22, 23, 24);
        assertThat(done.getString("rejections[0].reason")).startsWith("phone: must be a mobile number");
        assertThat(done.getString("rejections[1].reason")).isEqualTo("phone: repeats row 3");
        assertThat(done.getString("rejections[2].reason")).startsWith("balance: at most 2 decimals");
        assertThat(members(t.tenant, 1)).isEqualTo(20);
        t.get(t.manager, "/api/member/member/getlist?shopId=5").body("totalCount", equalTo(20));
        KeptSums.assertKept(pool, t.tenant);
        // Every card's account opens in the same call; the first card's brings its money.
        String openings = OtherServices.wiremock().find(postRequestedFor(urlPathEqualTo(
                "/internal/service/accounts/openings"))).stream().map(r -> r.getBodyAsString())
                .filter(b -> b.contains("\"tenantId\":" + t.tenant)).findFirst().orElseThrow();
        assertThat(openings).contains("\"actual\":100.50", "\"give\":10", "\"points\":30");
        assertThat(openings.split("\"cardId\"", -1)).hasSize(21);

        // The same file again, uploaded anew: every row was enrolled before.
        long again = start(t, upload(t.manager, "again.csv", content.getBytes(StandardCharsets.UTF_8)));
        assertThat(again).isNotEqualTo(job);
        JsonPath second = finish(t, again);
        assertThat(second.getInt("created")).isZero();
        assertThat(second.getInt("existing")).isEqualTo(20);
        assertThat(second.getInt("rejected")).isEqualTo(3);
        assertThat(members(t.tenant, 1)).isEqualTo(20);
    }

    @Test
    void anXlsxInGbkHeadersAndAFailingCardServiceEndFinishedOnTheSecondRun() throws IOException {
        Members t = new Members();
        long gold = t.save("memberlevel", "{\"name\":\"金卡\",\"level\":2,\"discount\":9}");
        ByteArrayOutputStream xlsx = new ByteArrayOutputStream();
        try (Workbook workbook = new Workbook(xlsx, "membercard", "1.0")) {
            Worksheet sheet = workbook.newWorksheet("会员");
            String[] header = {"姓名", "手机号", "卡号", "生日", "等级", "余额"};
            for (int c = 0; c < header.length; c++) {
                sheet.value(0, c, header[c]);
            }
            for (int r = 1; r <= 5; r++) {
                sheet.value(r, 0, "X" + r);
                sheet.value(r, 1, Long.parseLong(Members.phone()));
                sheet.value(r, 2, "XL" + t.tenant + r);
                sheet.value(r, 3, java.time.LocalDate.of(1985, 5, r));
                sheet.value(r, 4, r == 5 ? "无此等级" : "金卡");
                sheet.value(r, 5, r * 10);
            }
        }
        OtherServices.wiremock().register(post(urlPathEqualTo("/internal/service/cards/issue")).atPriority(1)
                .willReturn(aResponse().withStatus(503)));
        String path = upload(t.manager, "members.xlsx", xlsx.toByteArray());
        long job = start(t, path);
        JsonPath failed = finish(t, job);
        assertThat(failed.getString("status")).isEqualTo("FAILED");
        assertThat(failed.getString("error")).contains("card service");
        assertThat(members(t.tenant, 0)).isEqualTo(4);
        assertThat(members(t.tenant, 1)).isZero();

        // The failed job's upload is deleted with it: the file is uploaded again, and its rows keep their keys.
        assertThat(kept(t.tenant, path)).isFalse();
        OtherServices.reset();
        answers();
        long rerun = start(t, upload(t.manager, "members.xlsx", xlsx.toByteArray()));
        JsonPath done = finish(t, rerun);
        assertThat(done.getString("status")).isEqualTo("DONE");
        assertThat(done.getInt("created")).isEqualTo(4);
        assertThat(done.getList("rejections.reason", String.class))
                .containsExactly("level: no level in use is named so");
        assertThat(members(t.tenant, 0)).isZero();
        assertThat(members(t.tenant, 1)).isEqualTo(4);
        t.get(t.manager, "/api/member/member/getlist?memberLevel=" + gold).body("totalCount", equalTo(4))
                .body("data[3].birthday", equalTo("1985-05-01 00:00:00"));

        // A csv saved by a Chinese spreadsheet (GB18030) reads the same.
        Members u = new Members();
        String gbk = "姓名,手机\n王五," + Members.phone() + "\n";
        JsonPath third = finish(u, start(u, upload(u.manager, "gbk.csv", gbk.getBytes(Charset.forName("GB18030")))));
        assertThat(third.getInt("created")).isEqualTo(1);
        u.get(u.manager, "/api/member/member/getlist").body("data[0].name", equalTo("王五"));
    }

    @Test
    void badFilesAndForeignCallersAreRefused() {
        Members t = new Members();
        given().header("Authorization", t.manager).multiPart("file", "members.txt", "x".getBytes())
                .post("/api/member/member/upload").then().statusCode(400)
                .body("message", equalTo("file: must be an .xlsx or .csv file"));
        given().header("Authorization", t.cashier).multiPart("file", "members.csv", "x".getBytes())
                .post("/api/member/member/upload").then().statusCode(403);
        given().multiPart("file", "members.csv", "x".getBytes()).post("/api/member/member/upload").then()
                .statusCode(401);
        t.post(t.manager, "/api/member/member/import", "{\"filePath\":\"elsewhere\",\"shopId\":1,"
                + "\"memberCardClassId\":1}").statusCode(400).body("message", startsWith("filePath: "));
        t.post(t.manager, "/api/member/member/import", "{\"filePath\":\"upload/x\",\"shopId\":1}").statusCode(400)
                .body("message", equalTo("memberCardClassId: must not be null"));
        String path = upload(t.manager, "members.csv", "姓名,电话\nA,13900000000\n".getBytes(StandardCharsets.UTF_8));
        Members other = new Members();
        other.post(other.manager, "/api/member/member/import", "{\"filePath\":\"" + path + "\",\"shopId\":1,"
                + "\"memberCardClassId\":1}").statusCode(400).body("message", startsWith("filePath: no uploaded"));
        t.post(t.cashier, "/api/member/member/import", "{\"filePath\":\"" + path + "\",\"shopId\":1,"
                + "\"memberCardClassId\":1}").statusCode(403);
        // Another tenant's level is no level of this tenant's.
        long foreignLevel = other.save("memberlevel", "{\"name\":\"Gold\",\"level\":1,\"discount\":9}");
        t.post(t.manager, "/api/member/member/import", "{\"filePath\":\"" + path + "\",\"shopId\":1,"
                + "\"memberCardClassId\":1,\"memberLevelId\":" + foreignLevel + "}").statusCode(400)
                .body("message", equalTo("memberLevelId: no level " + foreignLevel + " in use"));
        long job = t.post(t.manager, "/api/member/member/import", "{\"filePath\":\"" + path + "\",\"shopId\":1,"
                + "\"memberCardClassId\":1}").statusCode(200).extract().jsonPath().getLong("data");
        other.get(other.manager, "/api/member/member/importjob?id=" + job).statusCode(404);
        t.get(t.cashier, "/api/member/member/importjob?id=" + job).statusCode(403);
        t.get(Tokens.tenant(t.tenant, "platform-admin").bearer(), "/api/member/member/importjob?id=" + job)
                .statusCode(403);
        // A file that cannot be read is refused when it is uploaded, and not kept.
        given().header("Authorization", t.manager).multiPart("file", "headless.csv", "a,b\n1,2\n".getBytes(
                StandardCharsets.UTF_8)).post("/api/member/member/upload").then().statusCode(400)
                .body("message", startsWith("file: the first row must name the columns"));
        given().header("Authorization", t.manager).multiPart("file", "broken.xlsx", "not a workbook".getBytes(
                StandardCharsets.UTF_8)).post("/api/member/member/upload").then().statusCode(400)
                .body("message", startsWith("file: "));
        assertThat(finish(t, job).getList("rejections", Object.class)).hasSize(0);
        t.get(t.manager, "/api/member/member/importjob?id=x").statusCode(400);
    }

    /** A one-row xlsx whose phone (column B) or birthday (column C) is the number {@code value}. */
    private static byte[] xlsxWithNumber(String column, java.math.BigDecimal value) throws IOException {
        ByteArrayOutputStream xlsx = new ByteArrayOutputStream();
        try (Workbook workbook = new Workbook(xlsx, "membercard", "1.0")) {
            Worksheet sheet = workbook.newWorksheet("会员");
            sheet.value(0, 0, "姓名");
            sheet.value(0, 1, "手机");
            sheet.value(0, 2, "生日");
            sheet.value(1, 0, "Bomb");
            sheet.value(1, 1, "phone".equals(column) ? value : java.math.BigDecimal.valueOf(13800138000L));
            sheet.value(1, 2, "birthday".equals(column) ? value : java.math.BigDecimal.valueOf(31000));
        }
        return xlsx.toByteArray();
    }

    /** Issue 10, item 1: 12 bytes of a number cell must not become millions of digits (17 s for one 1E10000000). */
    @Test
    void aNumberCellWithAnAbsurdExponentIsRefusedBeforeAnyArithmetic() throws IOException {
        Members t = new Members();
        for (String column : new String[]{"phone", "birthday"}) {
            given().header("Authorization", t.manager)
                    .multiPart("file", "bomb.xlsx", xlsxWithNumber(column, new java.math.BigDecimal("1E10000000")))
                    .post("/api/member/member/upload").then().statusCode(400)
                    .body("message", startsWith("file: row 2, column " + ("phone".equals(column) ? "B" : "C") + ": "));
        }
        given().header("Authorization", t.manager)
                .multiPart("file", "tiny.xlsx", xlsxWithNumber("phone", new java.math.BigDecimal("1E-10000000")))
                .post("/api/member/member/upload").then().statusCode(400).body("message", startsWith("file: row 2"));
    }

    /** Whether the upload {@code filePath} still keeps its content (in whatever column it is kept). */
    private boolean kept(long tenant, String filePath) {
        UUID id = UUID.fromString(filePath.substring("upload/".length()));
        return pool.preparedQuery("select count(*) from import_file f where f.tenant_id = $1 and f.id = $2"
                + " and (to_jsonb(f) ->> 'content' is not null or to_jsonb(f) ->> 'staged_rows' is not null"
                + " or exists (select 1 from import_chunk c where c.file_id = f.id))")
                .execute(Tuple.of(tenant, id)).await().indefinitely().iterator().next().getLong(0) == 1;
    }

    private void assertNowhere(String secret) {
        Stored.assertNowhere(pool, secret);
    }

    /** A stand-in for card-service's MAC hash (the real one is keyed with its secret pepper). */
    static String hash(long tenant, String mac) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec("test-pepper".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            hmac.update((tenant + ":").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hmac.doFinal(mac.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anUploadIsKeptOnlyWhileItsJobNeedsIt() {
        Members t = new Members();
        // Kept until its job is done; the job stays readable without it; a new run needs a new upload.
        String done = upload(t.manager, "done.csv", csv(3).getBytes(StandardCharsets.UTF_8));
        assertThat(kept(t.tenant, done)).isTrue();
        long job = start(t, done);
        assertThat(finish(t, job).getString("status")).isEqualTo("DONE");
        assertThat(kept(t.tenant, done)).isFalse();
        t.get(t.manager, "/api/member/member/importjob?id=" + job).statusCode(200).body("fileName",
                equalTo("done.csv")).body("created", equalTo(3));
        t.post(t.manager, "/api/member/member/import", "{\"filePath\":\"" + done + "\",\"shopId\":5,"
                + "\"memberCardClassId\":3}").statusCode(400).body("message", startsWith("filePath: "));

        // Deleted when its job fails.
        OtherServices.wiremock().register(post(urlPathEqualTo("/internal/service/cards/issue")).atPriority(1)
                .willReturn(aResponse().withStatus(503)));
        String failing = upload(t.manager, "failing.csv", csv(2).getBytes(StandardCharsets.UTF_8));
        assertThat(finish(t, start(t, failing)).getString("status")).isEqualTo("FAILED");
        assertThat(kept(t.tenant, failing)).isFalse();
        OtherServices.reset();
        answers();

        // Deleted after a day unused; a file uploaded now, or one a job is waiting for, stays.
        String idle = upload(t.manager, "idle.csv", csv(2).getBytes(StandardCharsets.UTF_8));
        String fresh = upload(t.manager, "fresh.csv", csv(2).getBytes(StandardCharsets.UTF_8));
        String waiting = upload(t.manager, "waiting.csv", csv(2).getBytes(StandardCharsets.UTF_8));
        UUID waitingId = UUID.fromString(waiting.substring("upload/".length()));
        long waitingJob = pool.preparedQuery("""
                insert into import_job (tenant_id, file_id, file_name, sha256, shop_id, card_class_id, status, user_id,
                                        lease_until)
                select tenant_id, id, name, sha256, 5, 3, 'QUEUED', 'test', now() + interval '1 hour'
                from import_file where id = $1 returning id""").execute(Tuple.of(waitingId)).await().indefinitely()
                .iterator().next().getLong(0);
        for (String old : List.of(idle, waiting)) {
            pool.preparedQuery("update import_file set created_at = now() - interval '25 hours' where id = $1")
                    .execute(Tuple.of(UUID.fromString(old.substring("upload/".length())))).await().indefinitely();
        }
        sweeper.sweep().await().atMost(Duration.ofSeconds(30));
        assertThat(kept(t.tenant, idle)).isFalse();
        assertThat(kept(t.tenant, fresh)).isTrue();
        assertThat(kept(t.tenant, waiting)).isTrue();
        t.post(t.manager, "/api/member/member/import", "{\"filePath\":\"" + idle + "\",\"shopId\":5,"
                + "\"memberCardClassId\":3}").statusCode(400).body("message", startsWith("filePath: "));
        pool.preparedQuery("update import_job set status = 'FAILED', lease_until = null where id = $1")
                .execute(Tuple.of(waitingJob)).await().indefinitely();
    }

    @Test
    void noTableKeepsAPlainCardSecretAfterAnImportWithMacs() {
        Members t = new Members();
        List<String> macs = List.of("MACSECRET-" + t.tenant + "-A", "MACSECRET-" + t.tenant + "-B",
                "MACSECRET-" + t.tenant + "-C");
        List<String> phones = List.of(Members.phone(), Members.phone(), Members.phone(), Members.phone());
        String csv = "姓名,手机,卡号,卡密,身份证\n"
                + "甲," + phones.get(0) + ",MA" + t.tenant + "," + macs.get(0) + ",110101199003074573\n"
                + "乙," + phones.get(1) + ",MB" + t.tenant + "," + macs.get(1) + ",\n"
                + "丙," + phones.get(2) + ",," + macs.get(2) + ",\n"
                + "丁," + phones.get(3) + ",MD" + t.tenant + ",,\n";
        OtherServices.wiremock().register(post(urlPathEqualTo("/internal/cards/mac-hashes")).atPriority(1)
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo(t.manager))
                .withRequestBody(equalToJson("{\"macs\":[\"" + String.join("\",\"", macs) + "\"]}"))
                .willReturn(okJson("{\"status\":200,\"message\":\"\",\"data\":[[\"" + hash(t.tenant, macs.get(0))
                        + "\"],[\"" + hash(t.tenant, macs.get(1)) + "\",\"" + hash(t.tenant + 1, macs.get(1))
                        + "\"],[\""
                        + hash(t.tenant, macs.get(2)) + "\"]]}")));
        String path = upload(t.manager, "macs.csv", csv.getBytes(StandardCharsets.UTF_8));
        macs.forEach(this::assertNowhere);
        JsonPath done = finish(t, start(t, path));
        assertThat(done.getString("status")).isEqualTo("DONE");
        assertThat(done.getInt("created")).isEqualTo(4);
        // card-service is given its own hashes, never the card secret itself.
        String issue = OtherServices.wiremock().find(postRequestedFor(urlPathEqualTo("/internal/service/cards/issue")))
                .stream().map(r -> r.getBodyAsString()).filter(b -> b.contains("\"tenantId\":" + t.tenant))
                .findFirst().orElseThrow();
        assertThat(issue).contains("\"macHashes\":[\"" + hash(t.tenant, macs.get(0)) + "\"]",
                "\"macHashes\":[\"" + hash(t.tenant, macs.get(1)) + "\",\"" + hash(t.tenant + 1, macs.get(1)) + "\"]",
                "\"macHashes\":[\"" + hash(t.tenant, macs.get(2)) + "\"]");
        macs.forEach(mac -> assertThat(issue).doesNotContain(mac));
        macs.forEach(this::assertNowhere);
        phones.forEach(phone -> t.get(t.manager, "/api/member/member/search?keyword=" + phone).body("$",
                org.hamcrest.Matchers.hasSize(1)));

        // Without card-service's hashes, a file with card secrets is not kept at all.
        Members u = new Members();
        OtherServices.wiremock().register(post(urlPathEqualTo("/internal/cards/mac-hashes")).atPriority(1)
                .willReturn(aResponse().withStatus(503)));
        given().header("Authorization", u.manager).multiPart("file", "macs.csv", ("姓名,手机,卡密\n甲,"
                + Members.phone() + ",MACSECRET-" + u.tenant + "\n").getBytes(StandardCharsets.UTF_8))
                .post("/api/member/member/upload").then().statusCode(500).body("status", equalTo(500));
        assertThat(pool.preparedQuery("select count(*) from import_file where tenant_id = $1")
                .execute(Tuple.of(u.tenant)).await().indefinitely().iterator().next().getLong(0)).isZero();
        assertNowhere("MACSECRET-" + u.tenant);
    }
}
