package io.membercard.wechat;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.PlatformEndpointsContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class PlatformEndpointsTest extends PlatformEndpointsContract {
}
