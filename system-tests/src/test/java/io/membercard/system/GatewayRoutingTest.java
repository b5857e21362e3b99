package io.membercard.system;

import static io.membercard.system.Platform.anonymous;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The gateway sends each of the contract's path prefixes to the service that owns it. */
class GatewayRoutingTest {

    @ParameterizedTest
    @CsvSource({
            "/api/member/membercard/get, card-service",
            "/api/member/membercardclass/getlist, card-service",
            "/api/open/gateway, card-service",
            "/api/member/member/getlist, member-service",
            "/api/member/membertag/getlist, member-service",
            "/api/member/memberlevel/getlist, member-service",
            "/api/member/gift/getlist, member-service",
            "/api/member/setting/getlist, member-service",
            "/api/member/rechargeplan/getlist, payment-service",
            "/api/member/recharge/getrefund, payment-service",
            "/api/member/cardpay/getcardinfo, payment-service",
            "/api/member/paycode/query, payment-service",
            "/api/member/points/exchangegift, payment-service",
            "/api/weixin/wxcard/getpaycode, wechat-gateway",
            "/api/customer/user/userCreateMemberCard, wechat-gateway",
            "/api/member/settlement/getstatus, settlement-service"})
    void eachPrefixReachesItsOwner(String path, String owner) {
        anonymous().get(path).then().header("X-Served-By", owner);
    }

    @Test
    void pathsOutsideTheContractAreAnsweredByTheGateway() {
        anonymous().get("/api/unknown/thing").then().statusCode(404).body("status", equalTo(404));
    }

    /** Issue 10, item 4: only the upload takes a large body; everywhere else the gateway stops one at 1 MB. */
    @Test
    void onlyTheUploadTakesALargeBody() {
        byte[] big = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'x');
        String manager = Platform.token(Platform.newTenant(), null, "manager");
        Platform.as(manager).contentType("application/json").body(big).post("/api/member/cardpay/pay").then()
                .statusCode(413);
        Platform.as(manager).contentType("application/json").body(big).post("/api/member/member/update").then()
                .statusCode(413);
        // The upload reads it (and refuses it as no member file: it got past the gateway and the service's limit).
        Platform.as(manager).multiPart("file", "big.csv", big).post("/api/member/member/upload").then()
                .statusCode(400).body("message", org.hamcrest.Matchers.startsWith("file: "));
    }
}
