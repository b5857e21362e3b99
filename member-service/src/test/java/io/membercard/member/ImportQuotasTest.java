package io.membercard.member;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Concurrently;
import io.membercard.member.importing.ImportRunner;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Issue 10, item 5, member-service's share: uploads a day and heavy jobs at once are the tenant's limits (429 with the
 * envelope, nothing kept or started), and one instance reads one file of a tenant at a time.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServices.class)
class ImportQuotasTest {
    private final Pool pool;
    private final ImportRunner runner;

    ImportQuotasTest(Pool pool, ImportRunner runner) {
        this.pool = pool;
        this.runner = runner;
    }

    @BeforeEach
    void answers() {
        OtherServices.forImports();
    }

    private static void limit(Members t, String name, int value) {
        t.post(t.manager, "/api/member/setting/savelimit", "{\"name\":\"" + name + "\",\"value\":" + value + "}")
                .statusCode(200).body("status", equalTo(200));
    }

    private long uploads(long tenant) {
        return pool.preparedQuery("select count(*) from import_file where tenant_id = $1").execute(Tuple.of(tenant))
                .await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void aTenantUploadsAtMostItsFilesADay() {
        Members t = new Members();
        limit(t, "uploadsPerDay", 2);
        byte[] file = ImportTurnsTest.members(3, 9);
        ImportTest.upload(t.manager, "one.csv", file);
        // A file refused for what it is counts too: reading it cost as much.
        given().header("Authorization", t.manager).multiPart("file", "bad.csv", "no,header\n".getBytes(
                StandardCharsets.UTF_8)).post("/api/member/member/upload").then().statusCode(400);
        given().header("Authorization", t.manager).multiPart("file", "three.csv", file)
                .post("/api/member/member/upload").then().statusCode(429).header("Retry-After", org.hamcrest.Matchers
                        .notNullValue())
                .body("status", equalTo(429))
                .body("message", startsWith("daily limit uploadsPerDay reached"));
        assertThat(uploads(t.tenant)).isEqualTo(1);
        // Another tenant uploads as before.
        Members other = new Members();
        ImportTest.upload(other.manager, "other.csv", file);
    }

    @Test
    void aTenantRunsAtMostItsHeavyJobsAtOnce() {
        Members t = new Members();
        limit(t, "heavyJobs", 1);
        String first = ImportTest.upload(t.manager, "a.csv", ImportTurnsTest.members(3, 8));
        String second = ImportTest.upload(t.manager, "b.csv", ImportTurnsTest.members(4, 8));
        long job = ImportTest.start(t, first);
        // Starting the same import again finds it; another one is refused while it runs.
        assertThat(ImportTest.start(t, first)).isEqualTo(job);
        t.post(t.manager, "/api/member/member/import", "{\"filePath\":\"" + second + "\",\"shopId\":5,"
                + "\"memberCardClassId\":3}").statusCode(429).body("status", equalTo(429))
                .body("message", startsWith("limit heavyJobs reached"));
        assertThat(pool.preparedQuery("select count(*) from import_job where tenant_id = $1")
                .execute(Tuple.of(t.tenant)).await().indefinitely().iterator().next().getLong(0)).isEqualTo(1);
        for (int i = 0; i < 50 && !"DONE".equals(t.get(t.manager, "/api/member/member/importjob?id=" + job)
                .extract().jsonPath().getString("status")); i++) {
            runner.runNext().await().atMost(Duration.ofSeconds(60));
        }
        // Its place is given back when it ends.
        ImportTest.start(t, second);
    }

    /**
     * Sends an upload of {@code file} as raw HTTP and hangs up, without reading the answer, as soon as the service has
     * begun reading it (its upload is recorded, not yet ready).
     */
    private void uploadAndHangUp(long tenant, String token, byte[] file) throws java.io.IOException {
        String boundary = "hangup" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        int port = io.restassured.RestAssured.port;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            var out = socket.getOutputStream();
            out.write(("POST /api/member/member/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + token
                    + "\r\nContent-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: "
                    + (head.length + file.length + tail.length) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(head);
            out.write(file);
            out.write(tail);
            out.flush();
            // Hangs up once the read has begun: its first rows are staged (a file's record alone comes before the
            // read, and a client that hangs up before it rightly gives its place back).
            for (int i = 0; i < 200 && pool.preparedQuery("select count(*) from import_chunk c join import_file f "
                    + "on f.id = c.file_id where f.tenant_id = $1 and not f.ready").execute(Tuple.of(tenant)).await()
                    .indefinitely().iterator().next().getLong(0) == 0; i++) {
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The review's escape: a client that hangs up while its file is read must not free the tenant's place. */
    @Test
    void aTenantThatHangsUpDoesNotGetAnotherFileReadAtTheSameTime() throws Exception {
        Members t = new Members();
        byte[] big = ImportTurnsTest.members(150_000, 6);
        uploadAndHangUp(t.tenant, t.manager, big);
        given().header("Authorization", t.manager).multiPart("file", "next.csv", ImportTurnsTest.members(3, 6))
                .post("/api/member/member/upload").then().statusCode(429).body("status", equalTo(429))
                .body("message", startsWith("file: another member file of this tenant is being read"));
        // Once the first one is read, the tenant uploads again.
        boolean uploaded = false;
        for (int i = 0; i < 120 && !uploaded; i++) {
            Thread.sleep(500);
            uploaded = given().header("Authorization", t.manager).multiPart("file", "later.csv",
                    ImportTurnsTest.members(3, 6)).post("/api/member/member/upload").statusCode() == 200;
        }
        assertThat(uploaded).isTrue();
    }

    @Test
    void oneTenantsFilesAreReadOneAtATime() {
        Members t = new Members();
        byte[] big = ImportTurnsTest.members(150_000, 7);
        List<Integer> statuses = Concurrently.run(3, n -> given().header("Authorization", t.manager)
                .multiPart("file", "big" + n + ".csv", big).post("/api/member/member/upload").then().extract()
                .statusCode());
        assertThat(statuses).contains(200, 429).containsOnly(200, 429);
    }
}
