package io.membercard.payment;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.PlatformEndpointsContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServicesStub.class)
class PlatformEndpointsTest extends PlatformEndpointsContract {
    @Override
    protected String[] documentedPaths() {
        return new String[]{"/api/member/cardpay/pay", "/api/member/cardpay/refund", "/api/member/recharge/recharge",
                "/api/member/rechargeplan/getlist"};
    }
}
