package io.membercard.member;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.member.importing.ImportRunner;
import io.membercard.member.importing.UploadSweeper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Issue 10, item 3: imports take turns a chunk at a time, fairly between tenants; a job is recorded by one runner at a
 * time even when another replica takes it over; and no job runs past its time budget.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServices.class)
class ImportTurnsTest {
    private final Pool pool;
    private final ImportRunner runner;
    private final UploadSweeper sweeper;
    private final CircuitBreakerMaintenance breakers;

    ImportTurnsTest(Pool pool, ImportRunner runner, UploadSweeper sweeper, CircuitBreakerMaintenance breakers) {
        this.pool = pool;
        this.runner = runner;
        this.sweeper = sweeper;
        this.breakers = breakers;
    }

    @BeforeEach
    void answers() {
        OtherServices.forImports();
        breakers.resetAll();
        // Jobs other tests left waiting would take turns too: these tests count turns.
        pool.query("update import_job set status = 'FAILED', lease_until = null where status in ('QUEUED', 'RUNNING')")
                .execute().await().indefinitely();
    }

    /** A csv of {@code rows} members with phones of their own. */
    static byte[] members(int rows, int series) {
        StringBuilder csv = new StringBuilder("姓名,手机\n");
        for (int i = 0; i < rows; i++) {
            csv.append('m').append(i).append(",13").append(series).append(String.format("%08d", i)).append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private JsonPath job(Members t, long id) {
        return t.get(t.manager, "/api/member/member/importjob?id=" + id).statusCode(200).extract().jsonPath();
    }

    @Test
    void aSmallImportOfAnotherTenantIsServedBetweenTheChunksOfABigOne() {
        Members big = new Members();
        Members small = new Members();
        long bigJob = ImportTest.start(big, ImportTest.upload(big.manager, "big.csv", members(3_000, 7)));
        long smallJob = ImportTest.start(small, ImportTest.upload(small.manager, "small.csv", members(10, 8)));
        int turns = 0;
        while (!"DONE".equals(job(small, smallJob).getString("status"))) {
            assertThat(runner.runNext().await().atMost(Duration.ofSeconds(60))).isTrue();
            assertThat(++turns).isLessThanOrEqualTo(2);
        }
        // The big file had one turn (one chunk of 1000 rows) before the small one ran, not its 3000 rows.
        assertThat(job(big, bigJob).getInt("processed")).isEqualTo(1000);
        assertThat(job(small, smallJob).getInt("created")).isEqualTo(10);
        while (!"DONE".equals(job(big, bigJob).getString("status"))) {
            assertThat(runner.runNext().await().atMost(Duration.ofSeconds(60))).isTrue();
            assertThat(++turns).isLessThanOrEqualTo(6);
        }
        JsonPath done = job(big, bigJob);
        assertThat(done.getInt("total")).isEqualTo(3000);
        assertThat(done.getInt("processed")).isEqualTo(3000);
        assertThat(done.getInt("created")).isEqualTo(3000);
    }

    @Test
    void aJobTakenOverByAnotherReplicaIsRecordedOnce() throws Exception {
        Members t = new Members();
        // card-service answers this tenant's cards slowly: the first runner's lease runs out while it waits.
        OtherServices.wiremock().register(post(urlPathEqualTo("/internal/service/cards/issue")).atPriority(5)
                .withRequestBody(containing("\"tenantId\":" + t.tenant))
                .willReturn(okJson("""
                        {"status":200,"message":"","data":[{{#each (jsonPath request.body '$.items') as |item|}}\
                        {{#if @index}},{{/if}}{"key":"{{item.key}}","card":{"id":{{item.memberId}},\
                        "code":"V{{item.memberId}}","status":2,"statusName":"正常","shopId":5,"shopName":"Shop",\
                        "cardClassId":3,"cardClassName":"Gold","sendMode":4,"memberId":{{item.memberId}},\
                        "writtenAt":"2026-11-20 10:00:00","version":2,"pointsValidDays":365}}{{/each}}]}""")
                        .withFixedDelay(3000)));
        long id = ImportTest.start(t, ImportTest.upload(t.manager, "slow.csv", members(20, 6)));
        CompletableFuture<Boolean> first = runner.runNext().subscribeAsCompletionStage();
        // Until the first runner is waiting on card-service with the chunk in hand.
        var issued = com.github.tomakehurst.wiremock.client.WireMock
                .postRequestedFor(urlPathEqualTo("/internal/service/cards/issue"))
                .withRequestBody(containing("\"tenantId\":" + t.tenant));
        for (int i = 0; i < 200 && OtherServices.wiremock().find(issued).isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertThat(OtherServices.wiremock().find(issued)).as("the first runner asked card-service").isNotEmpty();
        pool.preparedQuery("update import_job set lease_until = now() - interval '1 second' where id = $1")
                .execute(Tuple.of(id)).await().indefinitely();
        CompletableFuture<Boolean> second = runner.runNext().subscribeAsCompletionStage();
        assertThat(second.get()).isTrue();
        assertThat(first.get()).isTrue();
        JsonPath done = job(t, id);
        assertThat(done.getString("status")).isEqualTo("DONE");
        assertThat(done.getInt("processed")).isEqualTo(20);
        assertThat(done.getInt("created") + done.getInt("existing")).isEqualTo(20);
        assertThat(done.getList("rejections")).isEmpty();
    }

    @Test
    void aJobPastItsTimeBudgetEndsAndItsUploadIsDeleted() {
        Members t = new Members();
        long running = ImportTest.start(t, ImportTest.upload(t.manager, "late.csv", members(5, 5)));
        pool.preparedQuery("update import_job set started_at = now() - interval '3 hours' where id = $1")
                .execute(Tuple.of(running)).await().indefinitely();
        runner.runNext().await().atMost(Duration.ofSeconds(60));
        JsonPath ended = job(t, running);
        assertThat(ended.getString("status")).isEqualTo("FAILED");
        assertThat(ended.getString("error")).contains("time budget");

        // One no runner takes any more (its lease held by a replica that died) is ended by the sweep.
        long abandoned = ImportTest.start(t, ImportTest.upload(t.manager, "stuck.csv", members(5, 4)));
        pool.preparedQuery("""
                update import_job set status = 'RUNNING', started_at = now() - interval '3 hours',
                       lease_until = now() - interval '1 minute' where id = $1""")
                .execute(Tuple.of(abandoned)).await().indefinitely();
        sweeper.sweep().await().atMost(Duration.ofSeconds(30));
        assertThat(job(t, abandoned).getString("status")).isEqualTo("FAILED");
        long kept = pool.preparedQuery("""
                select count(*) from import_chunk c join import_job j on j.file_id = c.file_id
                where j.id = any($1)""").execute(Tuple.of(new Long[]{running, abandoned})).await().indefinitely()
                .iterator().next().getLong(0);
        assertThat(kept).isZero();
    }
}
