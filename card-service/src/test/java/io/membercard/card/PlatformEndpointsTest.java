package io.membercard.card;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.PlatformEndpointsContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(PaymentServiceStub.class)
class PlatformEndpointsTest extends PlatformEndpointsContract {
    @Override
    protected String[] documentedPaths() {
        return new String[]{"/api/member/membercard/batchcreate", "/api/member/membercard/getcreateorder",
                "/api/member/membercard/getcreateorderlist", "/api/member/membercard/writecard",
                "/api/member/membercard/get", "/api/member/membercardclass/getlist"};
    }
}
