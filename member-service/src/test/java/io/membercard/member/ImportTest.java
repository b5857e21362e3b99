package io.membercard.member;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
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
import java.util.List;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Tokens;
import io.membercard.member.importing.ImportRunner;
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
    private final CircuitBreakerMaintenance breakers;

    ImportTest(Pool pool, ImportRunner runner, CircuitBreakerMaintenance breakers) {
        this.pool = pool;
        this.runner = runner;
        this.breakers = breakers;
    }

    @BeforeEach
    void answers() {
        OtherServices.reset();
        breakers.resetAll();
        OtherServices.wiremock().register(post(urlPathEqualTo("/internal/service/accounts/openings")).atPriority(10)
                .willReturn(okJson("{\"status\":200,\"message\":\"\",\"data\":[]}")));
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

        OtherServices.reset();
        answers();
        long rerun = start(t, path);
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
        String headless = upload(t.manager, "headless.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
        JsonPath failed = finish(t, t.post(t.manager, "/api/member/member/import", "{\"filePath\":\"" + headless
                + "\",\"shopId\":1,\"memberCardClassId\":1}").statusCode(200).extract().jsonPath().getLong("data"));
        assertThat(failed.getString("status")).isEqualTo("FAILED");
        assertThat(failed.getString("error")).startsWith("filePath: the first row must name the columns");
        assertThat(finish(t, job).getList("rejections", Object.class)).hasSize(0);
        t.get(t.manager, "/api/member/member/importjob?id=x").statusCode(400);
    }
}
