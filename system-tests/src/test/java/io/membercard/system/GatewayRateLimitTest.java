package io.membercard.system;

import static io.membercard.system.Platform.anonymous;
import static io.membercard.system.Platform.as;
import static io.membercard.system.Platform.newTenant;
import static io.membercard.system.Platform.token;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.membercard.common.testing.Concurrently;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Issue 10: the gateway's requests a second per credential (one user's token) and per client address, with the rates
 * the platform's gateway runs with (tools/dev's defaults). Every test here sends from the one address all the system
 * tests send from, so each starts and ends once that address's burst is whole again.
 */
class GatewayRateLimitTest {
    private static final String PATH = "/api/member/membercardclass/getlist";
    private static int credentialRate;
    private static int credentialBurst;
    private static int addressRate;
    private static int addressBurst;

    /** One answer: its status, who served it (none: the gateway), and what a refusal must carry. */
    private record Answer(String token, int status, String servedBy, String contentType, String retryAfter,
            Integer envelopeStatus, String message) {
        static Answer of(String token, Response response) {
            // A refusal's envelope; other answers are only counted.
            boolean envelope = response.statusCode() == 429 && response.contentType().startsWith("application/json");
            return new Answer(token, response.statusCode(), response.header("X-Served-By"), response.contentType(),
                    response.header("Retry-After"), envelope ? response.jsonPath().getInt("status") : null,
                    envelope ? response.jsonPath().getString("message") : null);
        }

        boolean refusedByTheGateway() {
            return status == 429 && servedBy == null;
        }
    }

    @BeforeAll
    static void readTheGatewaysRates() throws IOException {
        // The configuration tools/dev up wrote for this platform's gateway.
        String conf = Files.readString(Platform.LOGS.getParent().resolve("nginx.conf"));
        credentialRate = number(conf, "zone=membercard_credential:\\w+ rate=(\\d+)r/s");
        credentialBurst = number(conf, "zone=membercard_credential burst=(\\d+) nodelay");
        addressRate = number(conf, "zone=membercard_address:\\w+ rate=(\\d+)r/s");
        addressBurst = number(conf, "zone=membercard_address burst=(\\d+) nodelay");
    }

    /** The address's burst is whole again: before each test here, and before the next test class. */
    @BeforeEach
    void letTheAddressBurstRefill() {
        leaveTheAddressBurstWhole();
    }

    @AfterAll
    static void leaveTheAddressBurstWhole() {
        pause(addressRate == 0 ? 0 : 1000L * addressBurst / addressRate + 500);
    }

    @Test
    void oneUserBurstingIsRefusedWithTheEnvelopeWhileAnotherUserGetsThrough() {
        long tenant = newTenant();
        String bursting = token(tenant, null, "manager");
        String other = token(newTenant(), null, "manager");
        as(bursting).contentType(ContentType.JSON).body("{\"name\":\"Gold\",\"cardType\":1}")
                .post("/api/member/membercardclass/save").then().statusCode(200);
        String before = as(bursting).get(PATH).then().statusCode(200).extract().asString();
        pause(2000L / credentialRate + 100);

        // Three times its burst at once from one user's token; another user's twenty at the same moment.
        int others = 20;
        long began = System.nanoTime();
        List<Answer> answers = concurrently(others + 3 * (credentialBurst + 1), 2 * credentialBurst, n -> n < others
                ? Answer.of("other", as(other).get(PATH))
                : Answer.of("bursting", as(bursting).get(PATH)));
        double seconds = (System.nanoTime() - began) / 1e9;

        List<Answer> burst = answers.stream().filter(a -> a.token().equals("bursting")).toList();
        List<Answer> refused = burst.stream().filter(Answer::refusedByTheGateway).toList();
        long served = burst.stream().filter(a -> a.servedBy() != null).count();
        assertThat(served + refused.size()).as("each answer is the service's or the gateway's 429")
                .isEqualTo(burst.size());
        assertThat(served).as("its burst, and what its rate added in %.2f s", seconds)
                .isBetween((long) credentialBurst + 1,
                        credentialBurst + 2 + (long) Math.ceil(credentialRate * seconds));
        assertThat(refused).isNotEmpty().allSatisfy(GatewayRateLimitTest::isTheEnvelope);
        assertThat(answers).filteredOn(a -> a.token().equals("other")).hasSize(others)
                .allSatisfy(a -> {
                    assertThat(a.status()).isEqualTo(200);
                    assertThat(a.servedBy()).isEqualTo("card-service");
                });
        // What was refused changed nothing; and the user gets through again as soon as its rate lets one more in.
        pause(2000L / credentialRate + 100);
        assertThat(as(bursting).get(PATH).then().statusCode(200).extract().asString()).isEqualTo(before);
    }

    @Test
    void madeUpTokensAreHeldPerAddress() {
        // A new made-up token with each request escapes the budget per credential, not the one per address. Five times
        // the address's burst from twice as many clients as the burst: however slowly the services answer (each of
        // these clients waits for its answer before it sends again), more arrive together than the burst lets through.
        long began = System.nanoTime();
        List<Answer> answers = concurrently(5 * (addressBurst + 1), 2 * addressBurst,
                n -> Answer.of("made-up", as("made-up." + n + ".token").get(PATH)));
        double seconds = (System.nanoTime() - began) / 1e9;
        long served = answers.stream().filter(a -> a.servedBy() != null).count();
        assertThat(answers).filteredOn(a -> a.servedBy() != null).extracting(Answer::status).containsOnly(401);
        assertThat(served).as("the address's burst, and what its rate added in %.2f s", seconds)
                .isLessThanOrEqualTo(addressBurst + 2 + (long) Math.ceil(addressRate * seconds));
        assertThat(answers).filteredOn(Answer::refusedByTheGateway).isNotEmpty()
                .allSatisfy(GatewayRateLimitTest::isTheEnvelope);
    }

    @Test
    void theGatewaysHealthIsNotLimited() {
        assertThat(concurrently(3 * (addressBurst + 1), 50,
                n -> Answer.of("none", anonymous().get("/healthz")))).extracting(Answer::status).containsOnly(200);
    }

    private static void isTheEnvelope(Answer refused) {
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.contentType()).isEqualTo("application/json");
        assertThat(refused.retryAfter()).isEqualTo("1");
        assertThat(refused.envelopeStatus()).isEqualTo(429);
        assertThat(refused.message()).startsWith("too many requests: ").endsWith("slow down and retry after a second");
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code requests} calls of {@code call} from {@code clients} clients that start at the same moment. */
    private static List<Answer> concurrently(int requests, int clients, IntFunction<Answer> call) {
        AtomicInteger next = new AtomicInteger();
        List<Answer> answers = new ArrayList<>();
        for (List<Answer> mine : Concurrently.run(clients, client -> {
            List<Answer> own = new ArrayList<>();
            for (int n = next.getAndIncrement(); n < requests; n = next.getAndIncrement()) {
                own.add(call.apply(n));
            }
            return own;
        })) {
            answers.addAll(mine);
        }
        return answers;
    }

    private static int number(String conf, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(conf);
        assertThat(matcher.find()).as("%s in the gateway's nginx.conf", regex).isTrue();
        return Integer.parseInt(matcher.group(1));
    }
}
