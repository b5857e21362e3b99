package io.membercard.common.testing;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The test issuer's RSA key pair, made once per JVM and never written to disk. It lives in system properties so
 * that the test resource and the tests (loaded by different class loaders) share it.
 */
public final class TestKeys {
    static final String PUBLIC_PROPERTY = "membercard.test.oidc.public-key";
    static final String PRIVATE_PROPERTY = "membercard.test.oidc.private-key";

    private TestKeys() {
    }

    public static synchronized String publicKeyBase64() {
        ensure();
        return System.getProperty(PUBLIC_PROPERTY);
    }

    public static synchronized PrivateKey privateKey() {
        ensure();
        return decode(System.getProperty(PRIVATE_PROPERTY));
    }

    /** A key the services do not trust, for tokens that must be refused. */
    public static PrivateKey untrustedKey() {
        return generate().getPrivate();
    }

    private static void ensure() {
        if (System.getProperty(PUBLIC_PROPERTY) == null) {
            KeyPair pair = generate();
            System.setProperty(PUBLIC_PROPERTY, Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
            System.setProperty(PRIVATE_PROPERTY, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
        }
    }

    /** A new 2048-bit RSA key pair. */
    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey decode(String base64) {
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException(e);
        }
    }
}
