package io.membercard.common.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Makes the service under test trust the test issuer's key (see {@link Tokens}). */
public class AuthTestResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.oidc.public-key", TestKeys.publicKeyBase64());
    }

    @Override
    public void stop() {
    }
}
