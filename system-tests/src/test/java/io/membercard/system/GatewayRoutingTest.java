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
}
